package dev.llmserve.gateway.routing;

import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Picks the least loaded healthy replica of a deployment (see {@link LoadSnapshot} for
 * the order); equally loaded replicas are chosen at random, so ties spread evenly. Only
 * {@link ReplicaState#READY} replicas get new requests: a DRAINING one keeps the calls it
 * has but is never picked, nor is one in its local cool-down
 * ({@link ReplicaStatsRegistry#markUnreachable}) or whose engine reports unhealthy.
 */
public final class LeastLoadedBalancer {

	private final RoutingTableSource source;

	private final ReplicaStatsRegistry stats;

	private final RandomGenerator random;

	public LeastLoadedBalancer(RoutingTableSource source, ReplicaStatsRegistry stats, RandomGenerator random) {
		this.source = source;
		this.stats = stats;
		this.random = random;
	}

	/**
	 * Leases the least loaded ready, healthy replica of the deployment that is not in
	 * {@code excluded} (replica ids already tried), or empty if there is none.
	 */
	public Optional<Lease> pick(String deployment, Set<String> excluded) {
		long now = this.stats.nowMillis();
		Replica best = null;
		LoadSnapshot bestLoad = null;
		int ties = 0;
		for (Replica replica : this.source.current().replicas(deployment)) {
			ReplicaStats replicaStats = this.stats.get(replica.id());
			if (!replica.isReady() || excluded.contains(replica.id()) || !replicaStats.isHealthy(now)) {
				continue;
			}
			LoadSnapshot load = LoadSnapshot.of(replica, replicaStats);
			int order = (bestLoad != null) ? load.compareTo(bestLoad) : -1;
			if (order < 0) {
				best = replica;
				bestLoad = load;
				ties = 1;
			}
			else if (order == 0 && this.random.nextInt(++ties) == 0) {
				// Reservoir sampling: each of the equally loaded replicas wins with
				// 1/ties.
				best = replica;
			}
		}
		return Optional.ofNullable(best).map(this::lease);
	}

	/**
	 * How many replicas of the deployment {@link #pick} can choose from right now (READY,
	 * healthy, not in a cool-down; the same test): what admission control multiplies the
	 * per-replica limit by.
	 */
	public int routableReplicas(String deployment) {
		long now = this.stats.nowMillis();
		int routable = 0;
		for (Replica replica : this.source.current().replicas(deployment)) {
			if (replica.isReady() && this.stats.get(replica.id()).isHealthy(now)) {
				routable++;
			}
		}
		return routable;
	}

	private Lease lease(Replica replica) {
		ReplicaStats replicaStats = this.stats.get(replica.id());
		replicaStats.acquire();
		return new Lease(replica, replicaStats);
	}

}
