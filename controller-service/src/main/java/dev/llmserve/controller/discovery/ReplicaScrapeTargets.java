package dev.llmserve.controller.discovery;

import java.util.List;
import java.util.Map;

import dev.llmserve.controller.cluster.ClusterState;
import dev.llmserve.controller.cluster.Replica;

/**
 * Every replica the workers report with an HTTP address (one whose process runs), as
 * {@code service=replica} targets labelled with its deployment, id and worker.
 */
final class ReplicaScrapeTargets implements ScrapeTargetSource {

	private final ClusterState cluster;

	ReplicaScrapeTargets(ClusterState cluster) {
		this.cluster = cluster;
	}

	@Override
	public List<ScrapeTarget> scrapeTargets() {
		return this.cluster.replicas()
			.stream()
			.filter((replica) -> !replica.httpAddress().isBlank())
			.map(ReplicaScrapeTargets::target)
			.toList();
	}

	private static ScrapeTarget target(Replica replica) {
		return new ScrapeTarget(replica.httpAddress(), Map.of("service", "replica", "deployment", replica.deployment(),
				"replica", replica.id(), "worker", replica.workerId()));
	}

}
