package dev.llmserve.replica.grpc;

import java.time.Duration;

import dev.llmserve.replica.engine.EngineState;
import dev.llmserve.replica.engine.EngineStates;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EngineExitGuardTests {

	private final EngineState engine = EngineStates.ready();

	private final EngineExitGuard guard = new EngineExitGuard(this.engine);

	@Test
	void endsAStreamWithUnavailableAndTheExitCodeWhenTheEngineDies() {
		Sinks.Many<String> chunks = Sinks.many().unicast().onBackpressureBuffer();

		StepVerifier.create(this.guard.guard(chunks.asFlux()))
			.then(() -> chunks.tryEmitNext("a"))
			.expectNext("a")
			.then(() -> EngineStates.exit(this.engine, 137))
			.expectErrorSatisfies((error) -> assertUnavailable(error, "engine exited with code 137"))
			.verify(Duration.ofSeconds(5));
		assertThat(chunks.currentSubscriberCount()).isZero();
	}

	@Test
	void explainsAResetConnectionWithTheExitCodeThatFollowsIt() {
		Flux<String> reset = Flux.error(Status.UNAVAILABLE.withDescription("connection reset").asRuntimeException());

		StepVerifier.create(this.guard.guard(reset))
			.then(() -> EngineStates.exit(this.engine, 1))
			.expectErrorSatisfies((error) -> assertUnavailable(error, "engine exited with code 1"))
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void keepsTheOriginalErrorWhenTheEngineLivesOn() {
		Flux<String> reset = Flux.error(Status.UNAVAILABLE.withDescription("connection reset").asRuntimeException());

		StepVerifier.create(this.guard.guard(reset))
			.expectErrorSatisfies((error) -> assertUnavailable(error, "connection reset"))
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void leavesOtherErrorsAndCompletedStreamsAlone() {
		StepVerifier.create(this.guard.guard(Flux.error(Status.INVALID_ARGUMENT.asRuntimeException())))
			.expectErrorSatisfies((error) -> assertThat(Status.fromThrowable(error).getCode())
				.isEqualTo(Status.Code.INVALID_ARGUMENT))
			.verify(Duration.ofSeconds(5));
		StepVerifier.create(this.guard.guard(Flux.just("a")))
			.expectNext("a")
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void refusesCallsUnlessTheEngineServes() {
		this.guard.checkReady();
		EngineStates.exit(this.engine, 9);

		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(this.guard::checkReady)
			.satisfies((error) -> assertUnavailable(error, "engine exited with code 9"));
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> new EngineExitGuard(new EngineState()).checkReady())
			.satisfies((error) -> assertUnavailable(error, "the engine is starting"));
	}

	private static void assertUnavailable(Throwable error, String description) {
		Status status = Status.fromThrowable(error);
		assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(status.getDescription()).isEqualTo(description);
	}

}
