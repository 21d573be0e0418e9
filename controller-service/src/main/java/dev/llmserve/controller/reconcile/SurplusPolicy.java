package dev.llmserve.controller.reconcile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.llmserve.controller.cluster.Replica;

/**
 * Which replicas to remove when a deployment has too many. In order: FAILED ones, then
 * STARTING ones (neither serves anybody yet); then ones on the worker holding the most
 * replicas of the deployment (keeping it spread); then the least loaded (its drain ends
 * soonest and disturbs the fewest streams); then the greatest id, so that the choice is
 * deterministic.
 */
final class SurplusPolicy {

	private SurplusPolicy() {
	}

	static List<Replica> choose(List<Replica> live, int count) {
		List<Replica> candidates = new ArrayList<>(live);
		Map<String, Integer> perWorker = new HashMap<>();
		live.forEach((replica) -> perWorker.merge(replica.workerId(), 1, Integer::sum));
		List<Replica> chosen = new ArrayList<>();
		while (chosen.size() < count && !candidates.isEmpty()) {
			Replica next = candidates.stream().min(preference(perWorker)).orElseThrow();
			candidates.remove(next);
			perWorker.merge(next.workerId(), -1, Integer::sum);
			chosen.add(next);
		}
		return chosen;
	}

	private static int servingRank(Replica replica) {
		return switch (replica.state()) {
			case REPLICA_FAILED -> 0;
			case REPLICA_STARTING -> 1;
			default -> 2;
		};
	}

	private static Comparator<Replica> preference(Map<String, Integer> perWorker) {
		return Comparator.comparingInt(SurplusPolicy::servingRank)
			.thenComparing(Comparator.comparingInt((Replica replica) -> perWorker.get(replica.workerId())).reversed())
			.thenComparingInt((replica) -> replica.load().work())
			.thenComparing(Comparator.comparing(Replica::id).reversed());
	}

}
