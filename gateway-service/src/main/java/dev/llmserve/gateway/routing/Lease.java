package dev.llmserve.gateway.routing;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A replica picked for one call; holds one unit of its in-flight count until released.
 * Releasing is idempotent, so it is safe from {@code doFinally} and error paths alike.
 */
public final class Lease {

	private final Replica replica;

	private final ReplicaStats stats;

	private final AtomicBoolean released = new AtomicBoolean();

	Lease(Replica replica, ReplicaStats stats) {
		this.replica = replica;
		this.stats = stats;
	}

	/** The replica to call. */
	public Replica replica() {
		return this.replica;
	}

	/** Gives the in-flight unit back; only the first call has an effect. */
	public void release() {
		if (this.released.compareAndSet(false, true)) {
			this.stats.release();
		}
	}

}
