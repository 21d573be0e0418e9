package dev.llmserve.gateway.routing;

import java.time.Clock;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Per-replica {@link ReplicaStats}, keyed by replica id, so that what the gateway learnt
 * about a replica (its in-flight calls, an ejection) carries over from one routing table
 * to the next for as long as the replica is in them.
 */
public final class ReplicaStatsRegistry {

	private final ConcurrentMap<String, ReplicaStats> stats = new ConcurrentHashMap<>();

	private final Clock clock;

	public ReplicaStatsRegistry(Clock clock) {
		this.clock = clock;
	}

	/** The stats of a replica, created empty on first use. */
	public ReplicaStats get(String replicaId) {
		return this.stats.computeIfAbsent(replicaId, (id) -> new ReplicaStats());
	}

	/**
	 * Forgets replicas that left the table, except those with calls still open: a replica
	 * that comes back under the same id then still counts them.
	 */
	public void retainOnly(Collection<String> replicaIds) {
		Set<String> keep = Set.copyOf(replicaIds);
		this.stats.entrySet().removeIf((entry) -> !keep.contains(entry.getKey()) && entry.getValue().inFlight() == 0);
	}

	long nowMillis() {
		return this.clock.millis();
	}

}
