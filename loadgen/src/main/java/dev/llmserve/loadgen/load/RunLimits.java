package dev.llmserve.loadgen.load;

import java.time.Duration;

/**
 * When a run stops offering load, and how long it waits for what is still in flight.
 *
 * @param warmup how long load is offered before measuring starts: requests sent during it
 * are in the timeline but in no statistic
 * @param duration how long load is offered and measured (after the warm-up)
 * @param drain how long in-flight requests may still finish afterwards (the rest are
 * cancelled and reported as such)
 * @param maxRequests stop offering after this many requests ({@link Long#MAX_VALUE}: no
 * limit)
 */
public record RunLimits(Duration warmup, Duration duration, Duration drain, long maxRequests) {

	public RunLimits {
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("duration: %s (expected: > 0)".formatted(duration));
		}
		if (warmup.isNegative()) {
			throw new IllegalArgumentException("warmup: %s (expected: >= 0)".formatted(warmup));
		}
		if (drain.isNegative()) {
			throw new IllegalArgumentException("drain: %s (expected: >= 0)".formatted(drain));
		}
		if (maxRequests < 1) {
			throw new IllegalArgumentException("num-requests: %d (expected: >= 1)".formatted(maxRequests));
		}
	}

}
