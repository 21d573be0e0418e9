package dev.llmserve.gateway.routing;

import java.util.Comparator;

import dev.llmserve.proto.ReplicaLoad;

/**
 * A replica's load at the moment of a pick, ordered least loaded first: the gateway's own
 * in-flight count, then the engine's waiting and running sequences, then its KV usage.
 */
record LoadSnapshot(int inFlight, int waiting, int running, double kvCacheUsage) implements Comparable<LoadSnapshot> {

	private static final Comparator<LoadSnapshot> ORDER = Comparator.comparingInt(LoadSnapshot::inFlight)
		.thenComparingInt(LoadSnapshot::waiting)
		.thenComparingInt(LoadSnapshot::running)
		.thenComparingDouble(LoadSnapshot::kvCacheUsage);

	/**
	 * The gateway's own view; the load in the routing table stands in for the engine's
	 * until the first {@code GetLoad} poll has reached the replica.
	 */
	static LoadSnapshot of(Replica replica, ReplicaStats stats) {
		ReplicaLoad polled = stats.load();
		ReplicaLoad load = (polled != null) ? polled : replica.load();
		return new LoadSnapshot(stats.inFlight(), load.getWaiting(), load.getRunning(), load.getKvCacheUsage());
	}

	@Override
	public int compareTo(LoadSnapshot other) {
		return ORDER.compare(this, other);
	}

}
