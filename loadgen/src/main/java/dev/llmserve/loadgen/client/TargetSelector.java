package dev.llmserve.loadgen.client;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Assigns each request to the target with the fewest requests in flight: a perfect
 * client-side least-loaded balancer, the ideal a server-side router is measured against.
 * Ties go round-robin so that equal targets share the load evenly.
 */
public final class TargetSelector {

	private final AtomicIntegerArray inFlight;

	private int nextTie;

	public TargetSelector(int targets) {
		this.inFlight = new AtomicIntegerArray(targets);
	}

	/**
	 * Picks a target and counts the request in flight on it; pair with {@link #release}.
	 */
	public synchronized int acquire() {
		int size = this.inFlight.length();
		int best = -1;
		int bestLoad = Integer.MAX_VALUE;
		for (int k = 0; k < size; k++) {
			int i = (this.nextTie + k) % size;
			int load = this.inFlight.get(i);
			if (load < bestLoad) {
				best = i;
				bestLoad = load;
			}
		}
		this.nextTie = (best + 1) % size;
		this.inFlight.incrementAndGet(best);
		return best;
	}

	public void release(int target) {
		this.inFlight.decrementAndGet(target);
	}

	public int inFlight(int target) {
		return this.inFlight.get(target);
	}

}
