package dev.llmserve.worker.replicas;

import java.time.Instant;
import java.util.List;

/**
 * A replica's process ended without being asked to, or was killed for not being healthy.
 *
 * @param replicaId the replica
 * @param launchId which of its launches failed
 * @param message why, for operators
 * @param restartTimes when the replica was restarted before
 */
public record ReplicaFailure(String replicaId, long launchId, String message, List<Instant> restartTimes) {

	public ReplicaFailure {
		restartTimes = List.copyOf(restartTimes);
	}

}
