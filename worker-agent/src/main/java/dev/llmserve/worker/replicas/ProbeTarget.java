package dev.llmserve.worker.replicas;

import java.time.Instant;

import dev.llmserve.proto.ReplicaState;

/**
 * A replica launch to health-check.
 *
 * @param replicaId the replica
 * @param launchId the launch the result belongs to
 * @param state STARTING or READY
 * @param grpcPort its gRPC port on loopback
 * @param engineKind {@code sim} or {@code vllm}
 * @param launchedAt when this launch began
 * @param lastHealthyAt when it last answered a health check as serving, or {@code null}
 */
public record ProbeTarget(String replicaId, long launchId, ReplicaState state, int grpcPort, String engineKind,
		Instant launchedAt, Instant lastHealthyAt) {

	public boolean isReady() {
		return this.state == ReplicaState.REPLICA_READY;
	}

}
