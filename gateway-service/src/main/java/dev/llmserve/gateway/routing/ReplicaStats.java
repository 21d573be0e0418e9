package dev.llmserve.gateway.routing;

import java.util.concurrent.atomic.AtomicInteger;

import dev.llmserve.proto.ReplicaLoad;

/**
 * What the gateway knows about one replica: its own in-flight calls to it, the load the
 * replica last reported, and its outlier-detection state ({@link OutlierEjector}).
 */
public final class ReplicaStats {

	private final AtomicInteger inFlight = new AtomicInteger();

	private final EjectionState ejection = new EjectionState();

	private volatile ReplicaLoad load;

	/** Calls the gateway has open to this replica right now. */
	public int inFlight() {
		return this.inFlight.get();
	}

	/** The load last reported by {@code GetLoad}, or {@code null} if none yet. */
	public ReplicaLoad load() {
		return this.load;
	}

	/** Records a successful {@code GetLoad}. */
	public void recordLoad(ReplicaLoad load) {
		this.load = load;
	}

	/** Whether it is ejected (cooling down, or waiting for its trial request). */
	public boolean isEjected() {
		return this.ejection.isEjected();
	}

	EjectionState ejection() {
		return this.ejection;
	}

	/**
	 * Whether the balancer may pick it: not ejected (or due its trial) and its engine not
	 * reported unhealthy.
	 */
	boolean isAvailable(long nowMillis) {
		ReplicaLoad current = this.load;
		return this.ejection.admits(nowMillis) && (current == null || current.getEngineHealthy());
	}

	void acquire() {
		this.inFlight.incrementAndGet();
	}

	void release() {
		this.inFlight.decrementAndGet();
	}

}
