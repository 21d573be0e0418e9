package dev.llmserve.worker.health;

import java.time.Duration;

/**
 * What to do about a replica that failed: restart it after {@code delay}, or give up and
 * leave it FAILED.
 *
 * @param restart whether to restart it
 * @param delay how long to wait first (zero when giving up)
 * @param reason why it is given up on, for operators (empty when restarting)
 */
record RestartDecision(boolean restart, Duration delay, String reason) {

	static RestartDecision restartAfter(Duration delay) {
		return new RestartDecision(true, delay, "");
	}

	static RestartDecision giveUp(String reason) {
		return new RestartDecision(false, Duration.ZERO, reason);
	}

}
