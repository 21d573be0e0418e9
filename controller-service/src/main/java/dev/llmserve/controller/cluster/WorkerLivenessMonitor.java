package dev.llmserve.controller.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.llmserve.proto.ListReplicasResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires silent workers: one that missed its heartbeats is probed with
 * {@code ListReplicas}; an answer counts as a heartbeat, no answer (within the probe's
 * deadline) declares it dead: it is forgotten with its replicas, which leave the routing
 * snapshot and get replaced elsewhere. If it comes back, its next heartbeat is told to
 * register again.
 */
final class WorkerLivenessMonitor {

	private static final Logger logger = LoggerFactory.getLogger(WorkerLivenessMonitor.class);

	private final ClusterState cluster;

	private final WorkerClient client;

	private final Duration silenceBeforeProbe;

	private final Clock clock;

	private final Set<String> probing = ConcurrentHashMap.newKeySet();

	WorkerLivenessMonitor(ClusterState cluster, WorkerClient client, Duration silenceBeforeProbe, Clock clock) {
		this.cluster = cluster;
		this.client = client;
		this.silenceBeforeProbe = silenceBeforeProbe;
		this.clock = clock;
	}

	/** Probes every worker that has been silent too long (and is not probed already). */
	void check() {
		Instant silentSince = this.clock.instant().minus(this.silenceBeforeProbe);
		this.cluster.workers()
			.stream()
			.filter((worker) -> worker.lastSeen().isBefore(silentSince))
			.filter((worker) -> this.probing.add(worker.id()))
			.forEach(this::probe);
	}

	private void probe(Worker worker) {
		logger.info("Worker {} missed its heartbeats (last seen {}); probing {}", worker.id(), worker.lastSeen(),
				worker.address());
		this.client.listReplicas(worker.address())
			.doFinally((signal) -> this.probing.remove(worker.id()))
			.subscribe((answer) -> answered(worker, answer), (error) -> declareDead(worker, error.toString()));
	}

	private void answered(Worker worker, ListReplicasResponse answer) {
		if (!answer.getWorkerId().isEmpty() && !answer.getWorkerId().equals(worker.id())) {
			declareDead(worker, "another worker (%s) answers at %s".formatted(answer.getWorkerId(), worker.address()));
			return;
		}
		this.cluster.heartbeat(worker.id(), ReplicaStatuses.toReplicas(worker.id(), answer.getReplicasList()));
		logger.info("Worker {} answered its probe; keeping it", worker.id());
	}

	private void declareDead(Worker worker, String reason) {
		if (this.cluster.forgetIfSilentSince(worker.id(), worker.lastSeen())) {
			logger.warn("Worker {} at {} is dead ({}); its {} replica(s) leave the routing table", worker.id(),
					worker.address(), reason, worker.replicas().size());
		}
	}

}
