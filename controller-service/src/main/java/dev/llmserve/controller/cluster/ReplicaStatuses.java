package dev.llmserve.controller.cluster;

import java.util.List;
import java.util.Objects;

import dev.llmserve.proto.ReplicaLoad;
import dev.llmserve.proto.ReplicaStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Replicas from the wire. */
final class ReplicaStatuses {

	private static final Logger logger = LoggerFactory.getLogger(ReplicaStatuses.class);

	private ReplicaStatuses() {
	}

	/**
	 * The replicas a worker reports. One without an id or deployment is skipped (and
	 * logged): it cannot be placed, routed or stopped, and must not cost the worker its
	 * other replicas.
	 */
	static List<Replica> toReplicas(String workerId, List<ReplicaStatus> statuses) {
		return statuses.stream().map((status) -> toReplica(workerId, status)).filter(Objects::nonNull).toList();
	}

	private static Replica toReplica(String workerId, ReplicaStatus status) {
		if (status.getSpec().getReplicaId().isBlank() || status.getSpec().getDeployment().isBlank()) {
			logger.warn("Worker {} reports a replica without replica_id or deployment; ignoring it: {}", workerId,
					status.getSpec());
			return null;
		}
		return new Replica(status.getSpec().getReplicaId(), status.getSpec().getDeployment(), workerId,
				status.getSpec().getGpuIdsList(), status.getState(), status.getAddress(), status.getHttpAddress(),
				toLoad(status.getLoad()), status.getRestarts(), status.getMessage());
	}

	static Load toLoad(ReplicaLoad load) {
		return new Load(load.getRunning(), load.getWaiting(), load.getKvCacheUsage(), load.getInFlight(),
				load.getEngineHealthy(), load.getUpdatedAtMillis());
	}

}
