package dev.llmserve.controller.reconcile;

import java.time.Instant;
import java.util.List;

/**
 * A replica the reconciler asked a worker to start that the worker has not reported yet.
 * It counts towards its deployment and holds its GPUs until reported, failed or timed
 * out, so that nothing is started twice.
 */
record PendingStart(String replicaId, String deployment, String workerId, List<String> gpuIds, Instant requestedAt) {

	PendingStart {
		gpuIds = List.copyOf(gpuIds);
	}

}
