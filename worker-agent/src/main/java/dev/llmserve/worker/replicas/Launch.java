package dev.llmserve.worker.replicas;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * One run of a replica's process: its ports, when it was launched, when it last answered
 * a health check, and the process once it is spawned. A restart is a new launch. Fields
 * are guarded by the registry.
 */
final class Launch {

	private final long id;

	private final LaunchPorts ports;

	private final Instant launchedAt;

	private final CompletableFuture<ReplicaProcess> process = new CompletableFuture<>();

	private Instant lastHealthyAt;

	private long pid;

	private final int restarts;

	Launch(long id, LaunchPorts ports, Instant launchedAt, int restarts) {
		this.id = id;
		this.restarts = restarts;
		this.ports = ports;
		this.launchedAt = launchedAt;
	}

	/** How many times the replica was restarted before this launch. */
	int restarts() {
		return this.restarts;
	}

	long id() {
		return this.id;
	}

	LaunchPorts ports() {
		return this.ports;
	}

	Instant launchedAt() {
		return this.launchedAt;
	}

	/** Completes once the process is spawned, or exceptionally if it could not be. */
	CompletableFuture<ReplicaProcess> process() {
		return this.process;
	}

	Instant lastHealthyAt() {
		return this.lastHealthyAt;
	}

	void healthyAt(Instant now) {
		this.lastHealthyAt = now;
	}

	long pid() {
		return this.pid;
	}

	void spawned(long pid) {
		this.pid = pid;
	}

}
