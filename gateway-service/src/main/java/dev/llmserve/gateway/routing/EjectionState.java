package dev.llmserve.gateway.routing;

/**
 * One replica's outlier-detection state: its consecutive errors, and whether it is
 * ejected, until when, and whether its one trial request is under way. Changes take the
 * object's lock (they are rare: failures and trials); the balancer reads the volatile
 * fields without locking on every pick.
 */
final class EjectionState {

	private volatile boolean ejected;

	private volatile long ejectedUntilMillis;

	private volatile boolean trialInFlight;

	private int consecutiveErrors;

	/** Ejections in a row; the next cool-down grows with it. */
	private int ejectionsInARow;

	private long restoredAtMillis;

	/**
	 * Whether the balancer may pick it: not ejected, or its cool-down is over and no
	 * trial request is under way (the pick then has to win {@link #tryStartTrial}).
	 */
	boolean admits(long nowMillis) {
		return !this.ejected || (nowMillis >= this.ejectedUntilMillis && !this.trialInFlight);
	}

	boolean isEjected() {
		return this.ejected;
	}

	/** Whether its cool-down is over and it awaits its trial request. */
	boolean isHalfOpen(long nowMillis) {
		return this.ejected && nowMillis >= this.ejectedUntilMillis && !this.trialInFlight;
	}

	/** Claims the one trial request of an ejected replica whose cool-down is over. */
	synchronized boolean tryStartTrial(long nowMillis) {
		if (!isHalfOpen(nowMillis)) {
			return false;
		}
		this.trialInFlight = true;
		return true;
	}

	/** The trial ended without a verdict (the client left): another may start. */
	synchronized void abandonTrial() {
		this.trialInFlight = false;
	}

	/** Counts an error; returns the errors in a row so far. */
	synchronized int recordError() {
		return ++this.consecutiveErrors;
	}

	synchronized void recordSuccess() {
		this.consecutiveErrors = 0;
	}

	/**
	 * Ejects it: for {@code base × 2^(n-1)} capped at {@code max}, where n counts the
	 * ejections in a row. A replica that stayed in service for {@code max} since it was
	 * last restored starts again at {@code base}.
	 * @return the cool-down in milliseconds
	 */
	synchronized long eject(long nowMillis, long baseMillis, long maxMillis) {
		if (!this.ejected && this.ejectionsInARow > 0 && nowMillis - this.restoredAtMillis >= maxMillis) {
			this.ejectionsInARow = 0;
		}
		this.ejectionsInARow++;
		long cooldown = baseMillis;
		for (int i = 1; i < this.ejectionsInARow && cooldown < maxMillis; i++) {
			cooldown *= 2;
		}
		cooldown = Math.min(cooldown, maxMillis);
		this.ejected = true;
		this.ejectedUntilMillis = nowMillis + cooldown;
		this.trialInFlight = false;
		this.consecutiveErrors = 0;
		return cooldown;
	}

	/** Back in service after a successful trial. */
	synchronized void restore(long nowMillis) {
		this.ejected = false;
		this.trialInFlight = false;
		this.consecutiveErrors = 0;
		this.restoredAtMillis = nowMillis;
	}

	synchronized int ejectionsInARow() {
		return this.ejectionsInARow;
	}

}
