package dev.llmserve.gateway.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Per-replica {@link ReplicaStats}, keyed by replica id.
 */
public final class ReplicaStatsRegistry {

	private final ConcurrentMap<String, ReplicaStats> stats = new ConcurrentHashMap<>();

	private final Clock clock;

	private final Duration unhealthyCooldown;

	public ReplicaStatsRegistry(Clock clock, Duration unhealthyCooldown) {
		this.clock = clock;
		this.unhealthyCooldown = unhealthyCooldown;
	}

	/** The stats of a replica, created empty on first use. */
	public ReplicaStats get(String replicaId) {
		return this.stats.computeIfAbsent(replicaId, (id) -> new ReplicaStats());
	}

	/**
	 * Skips the replica for the cool-down after the gateway failed to reach it, unless a
	 * load poll reaches it sooner.
	 */
	public void markUnreachable(String replicaId) {
		get(replicaId).markUnreachableUntil(this.clock.millis() + this.unhealthyCooldown.toMillis());
	}

	/**
	 * Forgets replicas that left the table (leases still held keep their own reference).
	 */
	public void retainOnly(Collection<String> replicaIds) {
		Set<String> keep = Set.copyOf(replicaIds);
		this.stats.keySet().removeIf((id) -> !keep.contains(id));
	}

	long nowMillis() {
		return this.clock.millis();
	}

}
