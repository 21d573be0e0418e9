package dev.llmserve.gateway.upstream;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The two deadlines of one call: its first chunk within {@code firstChunkTimeout} of the
 * call's start, then, while chunks are asked for, each next one within
 * {@code stallTimeout} of the last (a replica that hung mid-stream; a slow client asks
 * for nothing and is not a stall). Each chunk and each request stamps a time (a volatile
 * write); one coarse timer per call checks the stamps, instead of a timeout armed and
 * cancelled per chunk. One per call.
 */
final class ChunkDeadlines {

	/** Which deadline a call missed. */
	enum Missed {

		NONE, FIRST_CHUNK, NEXT_CHUNK

	}

	private static final long MIN_PERIOD_NANOS = Duration.ofMillis(50).toNanos();

	private static final long MAX_PERIOD_NANOS = Duration.ofSeconds(5).toNanos();

	private final long firstChunkNanos;

	private final long stallNanos;

	private final LongSupplier nanoTime;

	private final long startedNanos;

	/** Chunks asked for and not received yet. */
	private final AtomicLong demand = new AtomicLong();

	/** When the wait for the next chunk began; 0 before the first chunk. */
	private volatile long waitingSinceNanos;

	private volatile Missed missed = Missed.NONE;

	ChunkDeadlines(Duration firstChunkTimeout, Duration stallTimeout) {
		this(firstChunkTimeout, stallTimeout, System::nanoTime);
	}

	ChunkDeadlines(Duration firstChunkTimeout, Duration stallTimeout, LongSupplier nanoTime) {
		this.firstChunkNanos = firstChunkTimeout.toNanos();
		this.stallNanos = stallTimeout.toNanos();
		this.nanoTime = nanoTime;
		this.startedNanos = nanoTime.getAsLong();
	}

	void onRequest(long n) {
		long before = this.demand.getAndAccumulate(n, ChunkDeadlines::addCapped);
		if (before <= 0 && this.waitingSinceNanos != 0) {
			// Demand after none: the wait starts now, not at the last chunk.
			this.waitingSinceNanos = this.nanoTime.getAsLong();
		}
	}

	void onChunk() {
		this.demand.decrementAndGet();
		long now = this.nanoTime.getAsLong();
		// 0 means "no chunk yet".
		this.waitingSinceNanos = (now != 0) ? now : 1;
	}

	boolean hasChunk() {
		return this.waitingSinceNanos != 0;
	}

	/**
	 * Emits once a deadline is missed (checked every quarter of the shorter timeout, at
	 * least every 5 s, so it fires up to that late); {@link #missed} then says which.
	 */
	Mono<Missed> expired() {
		long period = Math.max(MIN_PERIOD_NANOS,
				Math.min(MAX_PERIOD_NANOS, Math.min(this.firstChunkNanos, this.stallNanos) / 4));
		return Flux.interval(Duration.ofNanos(period))
			.map((tick) -> check())
			.filter((missed) -> missed != Missed.NONE)
			.next();
	}

	Missed missed() {
		return this.missed;
	}

	/** Which deadline is missed now, remembered once missed. */
	Missed check() {
		long now = this.nanoTime.getAsLong();
		long since = this.waitingSinceNanos;
		Missed found = Missed.NONE;
		if (since == 0) {
			if (now - this.startedNanos >= this.firstChunkNanos) {
				found = Missed.FIRST_CHUNK;
			}
		}
		else if (this.demand.get() > 0 && now - since >= this.stallNanos) {
			found = Missed.NEXT_CHUNK;
		}
		if (found != Missed.NONE) {
			this.missed = found;
		}
		return found;
	}

	private static long addCapped(long current, long n) {
		long sum = current + n;
		return (sum < 0) ? Long.MAX_VALUE : sum;
	}

	/** Marks a failure as a stall: no chunk within the stall timeout after the first. */
	static final class StalledException extends RuntimeException {

		StalledException() {
			super("no chunk within the stall timeout", null, false, false);
		}

	}

}
