package dev.llmserve.replica.load;

import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Flux;

/**
 * Counts the {@code Generate} calls in progress; each one leaves on complete, error or
 * cancel.
 */
public final class InFlightRequests {

	private final AtomicInteger count = new AtomicInteger();

	/** {@code stream}, counted from subscription until it ends however it ends. */
	public <T> Flux<T> track(Flux<T> stream) {
		return Flux.defer(() -> {
			this.count.incrementAndGet();
			return stream.doFinally((signal) -> this.count.decrementAndGet());
		});
	}

	public int current() {
		return this.count.get();
	}

}
