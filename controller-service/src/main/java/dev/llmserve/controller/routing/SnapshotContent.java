package dev.llmserve.controller.routing;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.llmserve.controller.cluster.Load;
import dev.llmserve.controller.cluster.Replica;
import dev.llmserve.controller.cluster.Worker;
import dev.llmserve.controller.deployments.Deployment;
import dev.llmserve.proto.DeploymentRoutes;
import dev.llmserve.proto.ReplicaLoad;
import dev.llmserve.proto.ReplicaRoute;
import dev.llmserve.proto.RoutingSnapshot;

/**
 * What a routing snapshot says, without its version: every deployment (by name) with its
 * READY and DRAINING replicas (by id). Equal contents make no new snapshot.
 *
 * @param deployments the routes
 */
record SnapshotContent(List<DeploymentRoutes> deployments) {

	SnapshotContent {
		deployments = List.copyOf(deployments);
	}

	static SnapshotContent of(List<Deployment> deployments, List<Worker> workers) {
		Map<String, List<Replica>> routed = workers.stream()
			.flatMap((worker) -> worker.replicas().stream())
			.filter(Replica::isRouted)
			.sorted(Comparator.comparing(Replica::id))
			.collect(Collectors.groupingBy(Replica::deployment));
		return new SnapshotContent(deployments.stream()
			.sorted(Comparator.comparing(Deployment::name))
			.map((deployment) -> routes(deployment, routed.getOrDefault(deployment.name(), List.of())))
			.toList());
	}

	private static DeploymentRoutes routes(Deployment deployment, List<Replica> replicas) {
		return DeploymentRoutes.newBuilder()
			.setName(deployment.name())
			.setMaxConcurrentPerReplica(deployment.maxConcurrentPerReplica())
			.addAllReplicas(replicas.stream().map(SnapshotContent::route).toList())
			.build();
	}

	private static ReplicaRoute route(Replica replica) {
		return ReplicaRoute.newBuilder()
			.setId(replica.id())
			.setAddress(replica.address())
			.setState(replica.state())
			.setLoad(load(replica.load()))
			.setWorkerId(replica.workerId())
			.build();
	}

	private static ReplicaLoad load(Load load) {
		return ReplicaLoad.newBuilder()
			.setRunning(load.running())
			.setWaiting(load.waiting())
			.setKvCacheUsage(load.kvCacheUsage())
			.setInFlight(load.inFlight())
			.setEngineHealthy(load.engineHealthy())
			.setUpdatedAtMillis(load.updatedAtMillis())
			.build();
	}

	/** The same routes with every load cleared: what matters for routing decisions. */
	SnapshotContent withoutLoads() {
		return new SnapshotContent(this.deployments.stream()
			.map((routes) -> routes.toBuilder()
				.clearReplicas()
				.addAllReplicas(
						routes.getReplicasList().stream().map((r) -> r.toBuilder().clearLoad().build()).toList())
				.build())
			.toList());
	}

	RoutingSnapshot toSnapshot(long version, String controllerId, long publishedAtMillis) {
		return RoutingSnapshot.newBuilder()
			.setVersion(version)
			.setControllerId(controllerId)
			.setPublishedAtMillis(publishedAtMillis)
			.addAllDeployments(this.deployments)
			.build();
	}

}
