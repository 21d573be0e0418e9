package dev.llmserve.controller.deployments.api;

import java.util.Comparator;
import java.util.List;

import dev.llmserve.controller.cluster.Replica;
import dev.llmserve.controller.deployments.Deployment;
import dev.llmserve.controller.deployments.Engine;
import dev.llmserve.proto.ReplicaState;

/**
 * A deployment as the admin API shows it: its spec (as created), then what actually runs.
 *
 * @param deployment the spec
 * @param phase ACTIVE, or DELETING while its replicas drain
 * @param readyReplicas replicas that serve
 * @param message why it is not as desired (null when it is)
 * @param replicas every replica workers report for it, by id
 */
record DeploymentView(Spec deployment, String phase, int readyReplicas, String message, List<ReplicaView> replicas) {

	static DeploymentView of(Deployment deployment, List<Replica> replicas, String message) {
		List<ReplicaView> views = replicas.stream()
			.sorted(Comparator.comparing(Replica::id))
			.map(ReplicaView::of)
			.toList();
		int ready = (int) replicas.stream().filter((r) -> r.state() == ReplicaState.REPLICA_READY).count();
		return new DeploymentView(Spec.of(deployment), deployment.deleting() ? "DELETING" : "ACTIVE", ready, message,
				views);
	}

	/**
	 * @param name its name
	 * @param model its model
	 * @param engine its engine
	 * @param gpusPerReplica GPUs per replica
	 * @param replicas desired replicas
	 * @param maxConcurrentPerReplica concurrent requests per replica at most (0: no
	 * limit)
	 * @param drainTimeoutSeconds drain timeout of a replica being removed
	 */
	record Spec(String name, String model, Engine engine, int gpusPerReplica, int replicas, int maxConcurrentPerReplica,
			int drainTimeoutSeconds) {

		static Spec of(Deployment deployment) {
			return new Spec(deployment.name(), deployment.model(), deployment.engine(), deployment.gpusPerReplica(),
					deployment.replicas(), deployment.maxConcurrentPerReplica(), deployment.drainTimeoutSeconds());
		}

	}

}
