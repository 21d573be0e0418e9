package dev.llmserve.controller.cluster;

import java.time.Instant;
import java.util.List;

/**
 * A live worker agent and everything it runs.
 *
 * @param id the worker's id
 * @param address its WorkerAgent gRPC address, host:port
 * @param gpuIds the GPUs it owns
 * @param replicas its replicas, as of its last heartbeat
 * @param lastSeen when it last registered, heartbeated or answered a probe
 */
public record Worker(String id, String address, List<String> gpuIds, List<Replica> replicas, Instant lastSeen) {

	public Worker {
		gpuIds = List.copyOf(gpuIds);
		replicas = List.copyOf(replicas);
	}

	Worker withReplicas(List<Replica> replicas, Instant seen) {
		return new Worker(this.id, this.address, this.gpuIds, replicas, seen);
	}

}
