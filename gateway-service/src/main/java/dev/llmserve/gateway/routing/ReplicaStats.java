package dev.llmserve.gateway.routing;

import java.util.concurrent.atomic.AtomicInteger;

import dev.llmserve.proto.ReplicaLoad;

/**
 * What the gateway knows about one replica: its own in-flight calls to it, the load the
 * replica last reported, and whether it was recently unreachable.
 */
public final class ReplicaStats {

	private final AtomicInteger inFlight = new AtomicInteger();

	private volatile ReplicaLoad load;

	private volatile long unreachableUntilMillis;

	/** Calls the gateway has open to this replica right now. */
	public int inFlight() {
		return this.inFlight.get();
	}

	/** The load last reported by {@code GetLoad}, or {@code null} if none yet. */
	public ReplicaLoad load() {
		return this.load;
	}

	/** Records a successful {@code GetLoad}; the replica is reachable again. */
	public void recordLoad(ReplicaLoad load) {
		this.load = load;
		this.unreachableUntilMillis = 0;
	}

	void markUnreachableUntil(long epochMillis) {
		this.unreachableUntilMillis = epochMillis;
	}

	boolean isHealthy(long nowMillis) {
		ReplicaLoad current = this.load;
		return nowMillis >= this.unreachableUntilMillis && (current == null || current.getEngineHealthy());
	}

	void acquire() {
		this.inFlight.incrementAndGet();
	}

	void release() {
		this.inFlight.decrementAndGet();
	}

}
