package dev.llmserve.gateway.upstream;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Notices a call that stopped sending chunks after its first although chunks were asked
 * for: a replica that hung mid-stream. A slow client asks for nothing, and is not a
 * stall. Each chunk and each request stamps the time (a volatile write); one coarse timer
 * per call checks the stamp, instead of a timer armed and cancelled per chunk. One per
 * call.
 */
final class StallWatch {

	private static final long MIN_PERIOD_NANOS = Duration.ofMillis(100).toNanos();

	private static final long MAX_PERIOD_NANOS = Duration.ofSeconds(5).toNanos();

	private final long timeoutNanos;

	/** Chunks asked for and not received yet. */
	private final AtomicLong demand = new AtomicLong();

	/** When the wait for the next chunk began; 0 before the first chunk. */
	private volatile long waitingSinceNanos;

	private final AtomicBoolean stalled = new AtomicBoolean();

	StallWatch(Duration timeout) {
		this.timeoutNanos = timeout.toNanos();
	}

	void onRequest(long n) {
		long before = this.demand.getAndAccumulate(n, StallWatch::addCapped);
		if (before <= 0 && this.waitingSinceNanos != 0) {
			// Demand after none: the wait starts now, not at the last chunk.
			this.waitingSinceNanos = System.nanoTime();
		}
	}

	void onChunk() {
		this.demand.decrementAndGet();
		this.waitingSinceNanos = System.nanoTime();
	}

	/**
	 * Emits once the call has waited {@code timeout} for a chunk it asked for (checked
	 * every quarter of it, at least every 5 s, so it fires up to a quarter late).
	 */
	Mono<Long> stalled() {
		long period = Math.max(MIN_PERIOD_NANOS, Math.min(MAX_PERIOD_NANOS, this.timeoutNanos / 4));
		return Flux.interval(Duration.ofNanos(period)).filter((tick) -> {
			long since = this.waitingSinceNanos;
			return since != 0 && this.demand.get() > 0 && System.nanoTime() - since >= this.timeoutNanos;
		}).next().doOnNext((tick) -> this.stalled.set(true));
	}

	boolean hasStalled() {
		return this.stalled.get();
	}

	private static long addCapped(long current, long n) {
		long sum = current + n;
		return (sum < 0) ? Long.MAX_VALUE : sum;
	}

	/** Marks a failure as a stall. */
	static final class StalledException extends RuntimeException {

		StalledException() {
			super("no chunk within the stall timeout", null, false, false);
		}

	}

}
