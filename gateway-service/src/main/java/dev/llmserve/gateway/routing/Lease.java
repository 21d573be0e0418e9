package dev.llmserve.gateway.routing;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A replica picked for one call; holds one unit of its in-flight count until released.
 * Releasing is idempotent, so it is safe from {@code doFinally} and error paths alike. A
 * lease on an ejected replica whose cool-down is over is its one trial request: its
 * outcome, reported to the {@link OutlierEjector}, brings the replica back or ejects it
 * again.
 */
public final class Lease {

	private final Replica replica;

	private final ReplicaStats stats;

	private final boolean trial;

	private final AtomicBoolean released = new AtomicBoolean();

	Lease(Replica replica, ReplicaStats stats, boolean trial) {
		this.replica = replica;
		this.stats = stats;
		this.trial = trial;
	}

	/** The replica to call. */
	public Replica replica() {
		return this.replica;
	}

	/** Whether this call is the trial request of an ejected replica. */
	public boolean isTrial() {
		return this.trial;
	}

	ReplicaStats stats() {
		return this.stats;
	}

	/** Gives the in-flight unit back; only the first call has an effect. */
	public void release() {
		if (this.released.compareAndSet(false, true)) {
			this.stats.release();
		}
	}

}
