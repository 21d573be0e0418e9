package dev.llmserve.gateway.admission;

import java.time.Duration;

/**
 * What a deployment can take right now.
 *
 * @param permits requests that may run at once ({@link #UNLIMITED} for no limit)
 * @param queueSize requests that may wait for a permit
 * @param maxWait the longest one may wait
 */
record Capacity(int permits, int queueSize, Duration maxWait) {

	static final int UNLIMITED = Integer.MAX_VALUE;

	boolean isUnlimited() {
		return this.permits == UNLIMITED;
	}

}
