package dev.llmserve.controller.reconcile;

import java.time.Duration;
import java.time.Instant;

/**
 * A replica being removed: DRAINING in the snapshot, then stopped (with its drain
 * timeout) once {@code stopAt} passed. Mutable; guarded by the {@link Reconciler}.
 */
final class Retirement {

	final String replicaId;

	final String address;

	final Duration drainTimeout;

	private Instant stopAt;

	private boolean inFlight;

	private boolean acknowledged;

	Retirement(String replicaId, String address, Duration drainTimeout, Instant stopAt) {
		this.replicaId = replicaId;
		this.address = address;
		this.drainTimeout = drainTimeout;
		this.stopAt = stopAt;
	}

	/** Whether a StopReplica should be sent now. */
	boolean isDue(Instant now) {
		return !this.inFlight && !this.acknowledged && !now.isBefore(this.stopAt);
	}

	void sent() {
		this.inFlight = true;
	}

	void acknowledged() {
		this.inFlight = false;
		this.acknowledged = true;
	}

	void retryAt(Instant when) {
		this.inFlight = false;
		this.stopAt = when;
	}

}
