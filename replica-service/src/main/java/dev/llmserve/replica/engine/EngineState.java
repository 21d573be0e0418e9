package dev.llmserve.replica.engine;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * What the rest of the replica knows about its engine: whether it serves, and when it
 * died. Written only by the supervisor.
 */
public final class EngineState {

	/** The engine's life, in order. */
	public enum Phase {

		/** Launched; not yet answering {@code /health}. */
		STARTING,

		/** Answering {@code /health}: requests may be sent. */
		READY,

		/** Exited on its own (or never became healthy). */
		EXITED,

		/** Stopped because this replica is shutting down. */
		STOPPED

	}

	private final Sinks.Many<Phase> changes = Sinks.many().replay().latest();

	private final Sinks.One<Integer> exit = Sinks.one();

	private volatile Phase phase = Phase.STARTING;

	private volatile long pid = -1;

	private volatile Integer exitCode;

	public Phase phase() {
		return this.phase;
	}

	public boolean isReady() {
		return this.phase == Phase.READY;
	}

	/** The engine's process id, or -1 before it is launched. */
	public long pid() {
		return this.pid;
	}

	/** The code the engine exited with on its own, or {@code null} while it has not. */
	public Integer exitCode() {
		return this.exitCode;
	}

	/** Every phase from now on, starting with the current one. */
	public Flux<Phase> changes() {
		return this.changes.asFlux();
	}

	/**
	 * Emits the exit code when the engine exits on its own; never completes if it is
	 * stopped deliberately.
	 */
	public Mono<Integer> exited() {
		return this.exit.asMono();
	}

	void launched(long pid) {
		this.pid = pid;
		update(Phase.STARTING);
	}

	void ready() {
		update(Phase.READY);
	}

	void exited(int code) {
		this.exitCode = code;
		update(Phase.EXITED);
		this.exit.tryEmitValue(code);
	}

	void stopped() {
		if (this.phase != Phase.EXITED) {
			update(Phase.STOPPED);
		}
	}

	private synchronized void update(Phase next) {
		this.phase = next;
		this.changes.tryEmitNext(next);
	}

}
