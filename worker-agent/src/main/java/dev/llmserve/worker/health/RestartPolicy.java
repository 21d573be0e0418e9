package dev.llmserve.worker.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.llmserve.worker.WorkerProperties;
import dev.llmserve.worker.Durations;

/**
 * Exponential backoff for crashed replicas: the n-th restart within the window waits
 * {@code initialBackoff * 2^(n-1)}, capped at {@code maxBackoff}; a replica restarted
 * {@code maxRestarts} times within the window is given up on, so that a replica that can
 * never start stops using the node and the controller can place it elsewhere. Restarts
 * that left the window no longer count, so a replica that ran well for a while starts
 * again from the initial backoff.
 */
final class RestartPolicy {

	private final WorkerProperties.Restart settings;

	RestartPolicy(WorkerProperties.Restart settings) {
		this.settings = settings;
	}

	RestartDecision decide(List<Instant> restartTimes, Instant now) {
		Instant windowStart = now.minus(this.settings.window());
		long recent = restartTimes.stream().filter((time) -> time.isAfter(windowStart)).count();
		if (recent >= this.settings.maxRestarts()) {
			return RestartDecision
				.giveUp("restarted %d times within %s".formatted(recent, Durations.format(this.settings.window())));
		}
		return RestartDecision.restartAfter(backoff(recent));
	}

	/** The delay before a restart that follows {@code previous} recent restarts. */
	Duration backoff(long previous) {
		Duration max = this.settings.maxBackoff();
		Duration delay = this.settings.initialBackoff();
		for (long i = 0; i < previous && delay.compareTo(max) < 0; i++) {
			delay = delay.multipliedBy(2);
		}
		return (delay.compareTo(max) < 0) ? delay : max;
	}

}
