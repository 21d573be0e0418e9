package dev.llmserve.replica.grpc;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.llmserve.replica.engine.EngineState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Ends a stream with {@code UNAVAILABLE "engine exited with code X"} when the engine dies
 * under it, so that callers learn why (and may retry elsewhere) instead of seeing a
 * reset.
 */
final class EngineExitGuard {

	/**
	 * A reset connection usually reaches us just before the engine's exit does: an
	 * {@code UNAVAILABLE} waits this long for the exit code that explains it.
	 */
	private static final Duration EXIT_GRACE = Duration.ofMillis(500);

	private final EngineState engine;

	EngineExitGuard(EngineState engine) {
		this.engine = engine;
	}

	/** Refuses calls while the engine does not serve. */
	void checkReady() {
		switch (this.engine.phase()) {
			case READY -> {
			}
			case STARTING -> throw Status.UNAVAILABLE.withDescription("the engine is starting").asRuntimeException();
			case EXITED -> throw exited(this.engine.exitCode());
			case STOPPED ->
				throw Status.UNAVAILABLE.withDescription("the replica is shutting down").asRuntimeException();
		}
	}

	<T> Flux<T> guard(Flux<T> stream) {
		return Flux.defer(() -> {
			AtomicBoolean lost = new AtomicBoolean();
			return stream.takeUntilOther(this.engine.exited().doOnNext((code) -> lost.set(true)))
				.concatWith(Mono.defer(() -> lost.get() ? Mono.error(exited(this.engine.exitCode())) : Mono.empty()))
				.onErrorResume(this::explain);
		});
	}

	private <T> Mono<T> explain(Throwable error) {
		if (!(error instanceof StatusRuntimeException status)
				|| status.getStatus().getCode() != Status.Code.UNAVAILABLE) {
			return Mono.error(error);
		}
		return this.engine.exited()
			.timeout(EXIT_GRACE, Mono.empty())
			.flatMap((code) -> Mono.<T>error(exited(code)))
			.switchIfEmpty(Mono.error(error));
	}

	static StatusRuntimeException exited(Integer code) {
		return Status.UNAVAILABLE.withDescription("engine exited with code " + code).asRuntimeException();
	}

}
