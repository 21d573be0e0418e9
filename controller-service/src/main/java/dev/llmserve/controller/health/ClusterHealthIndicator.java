package dev.llmserve.controller.health;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.llmserve.controller.cluster.ClusterState;
import dev.llmserve.controller.cluster.ClusterSync;
import dev.llmserve.controller.cluster.Replica;
import dev.llmserve.controller.cluster.Worker;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The cluster as the controller sees it, for operators: whether the startup grace is
 * over, the live workers and their replicas by state. Always UP: an empty cluster is not
 * the controller's failure (and is not part of readiness).
 */
final class ClusterHealthIndicator implements HealthIndicator {

	private final ClusterState cluster;

	private final ClusterSync sync;

	ClusterHealthIndicator(ClusterState cluster, ClusterSync sync) {
		this.cluster = cluster;
		this.sync = sync;
	}

	@Override
	public Health health() {
		List<Worker> workers = this.cluster.workers();
		Map<String, Integer> states = new TreeMap<>();
		workers.stream()
			.flatMap((worker) -> worker.replicas().stream())
			.map(Replica::state)
			.forEach((state) -> states.merge(state.name().replace("REPLICA_", ""), 1, Integer::sum));
		return Health.up()
			.withDetail("synced", this.sync.isSynced())
			.withDetail("workers", workers.stream().map(Worker::id).toList())
			.withDetail("replicas", states)
			.build();
	}

}
