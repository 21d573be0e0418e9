package dev.llmserve.controller.local.supervision;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The delay before a child that ended is started again, per {@link RestartPolicy}: none
 * after a stable run or a first quick end, growing while it keeps ending quickly. One per
 * child; not thread-safe.
 */
final class RestartBackoff {

	private final RestartPolicy policy;

	private final Clock clock;

	private int quickEnds;

	RestartBackoff(RestartPolicy policy, Clock clock) {
		this.policy = policy;
		this.clock = clock;
	}

	/**
	 * The delay before restarting a child that was started at {@code startedAt} and just
	 * ended. A run counts as stable only if the child answered its health check: one that
	 * takes long to fail (a port in use, on a loaded machine) still backs off.
	 */
	Duration next(Instant startedAt, boolean answered) {
		Duration ran = Duration.between(startedAt, this.clock.instant());
		if (answered && ran.compareTo(this.policy.stableAfter()) >= 0) {
			this.quickEnds = 0;
		}
		this.quickEnds++;
		if (this.quickEnds == 1) {
			return Duration.ZERO;
		}
		int doublings = Math.min(this.quickEnds - 2, 30);
		Duration delay = this.policy.initialBackoff().multipliedBy(1L << doublings);
		return (delay.compareTo(this.policy.maxBackoff()) > 0) ? this.policy.maxBackoff() : delay;
	}

}
