package dev.llmserve.gateway.admission;

import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.publisher.Flux;

/**
 * The right to run one request on a deployment. It must be released exactly once, when
 * the request ends in any way; releasing again does nothing, so every path that may end a
 * request can release it.
 */
public final class Permit {

	private final DeploymentQueue queue;

	private final AtomicBoolean released = new AtomicBoolean();

	Permit(DeploymentQueue queue) {
		this.queue = queue;
	}

	/** A permit that limits nothing, for requests admission does not govern. */
	static Permit unlimited() {
		return new Permit(null);
	}

	/** Gives the permit back, letting the next queued request in; idempotent. */
	public void release() {
		if (this.released.compareAndSet(false, true) && this.queue != null) {
			this.queue.release();
		}
	}

	/**
	 * The stream, releasing this permit when it completes, fails or is cancelled.
	 */
	public <T> Flux<T> releaseOnEnd(Flux<T> stream) {
		return stream.doFinally((signal) -> release());
	}

	boolean isReleased() {
		return this.released.get();
	}

}
