package dev.llmserve.gateway.routing;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Picks the least loaded healthy replica of a deployment (see {@link LoadSnapshot} for
 * the order); equally loaded replicas are chosen at random, so ties spread evenly. Only
 * {@link ReplicaState#READY} replicas get new requests: a DRAINING one keeps the calls it
 * has but is never picked, nor is one whose engine reports unhealthy, nor one ejected by
 * the {@link OutlierEjector} while it cools down. An ejected replica whose cool-down is
 * over gets exactly one request, its trial ({@link Lease#isTrial()}).
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
		Set<String> skipped = excluded;
		while (true) {
			Replica best = leastLoaded(deployment, skipped, now);
			if (best == null) {
				return Optional.empty();
			}
			ReplicaStats replicaStats = this.stats.get(best.id());
			if (!replicaStats.ejection().isEjected()) {
				return Optional.of(lease(best, replicaStats, false));
			}
			if (replicaStats.ejection().tryStartTrial(now)) {
				return Optional.of(lease(best, replicaStats, true));
			}
			// Another request won its trial meanwhile: look again without it.
			skipped = new HashSet<>(skipped);
			skipped.add(best.id());
		}
	}

	private Replica leastLoaded(String deployment, Set<String> excluded, long now) {
		Replica best = null;
		LoadSnapshot bestLoad = null;
		int ties = 0;
		for (Replica replica : this.source.current().replicas(deployment)) {
			ReplicaStats replicaStats = this.stats.get(replica.id());
			if (!replica.isReady() || excluded.contains(replica.id()) || !replicaStats.isAvailable(now)) {
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
		return best;
	}

	/**
	 * How many replicas of the deployment {@link #pick} can choose from right now (READY
	 * and available: not ejected, or due its trial; the same test): what admission
	 * control multiplies the per-replica limit by. Counting a replica due its trial keeps
	 * admission from shutting out the very request that would bring it back.
	 */
	public int routableReplicas(String deployment) {
		long now = this.stats.nowMillis();
		int routable = 0;
		for (Replica replica : this.source.current().replicas(deployment)) {
			if (replica.isReady() && this.stats.get(replica.id()).isAvailable(now)) {
				routable++;
			}
		}
		return routable;
	}

	private static Lease lease(Replica replica, ReplicaStats replicaStats, boolean trial) {
		replicaStats.acquire();
		return new Lease(replica, replicaStats, trial);
	}

}
