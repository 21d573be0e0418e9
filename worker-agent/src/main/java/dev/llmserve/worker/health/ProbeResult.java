package dev.llmserve.worker.health;

import dev.llmserve.proto.ReplicaLoad;

/**
 * What one health check of a replica found.
 *
 * @param serving whether its gRPC health answered SERVING
 * @param load its load, or {@code null} when it could not be read
 * @param detail why it is not serving, for logs
 */
record ProbeResult(boolean serving, ReplicaLoad load, String detail) {

	static ProbeResult serving(ReplicaLoad load) {
		return new ProbeResult(true, load, "");
	}

	static ProbeResult notServing(String detail) {
		return new ProbeResult(false, null, detail);
	}

}
