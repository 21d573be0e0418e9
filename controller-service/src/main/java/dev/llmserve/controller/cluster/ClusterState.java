package dev.llmserve.controller.cluster;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.llmserve.proto.ReplicaState;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The actual state: live workers and the replicas they report, rebuilt from registrations
 * and heartbeats alone (level-triggered), plus the controller's own DRAINING marks on
 * replicas it is removing. Its methods are short and synchronized; changes are announced
 * on {@link #changes()}.
 */
public final class ClusterState {

	private final Clock clock;

	private final Map<String, Worker> workers = new TreeMap<>();

	private final Set<String> draining = new HashSet<>();

	private final Sinks.Many<ClusterChange> changes = Sinks.many().multicast().directBestEffort();

	public ClusterState(Clock clock) {
		this.clock = clock;
	}

	/** Adds or replaces a worker and everything it runs. */
	public synchronized void register(String id, String address, List<String> gpuIds, List<Replica> replicas) {
		Worker previous = this.workers.get(id);
		Worker worker = new Worker(id, address, gpuIds, replicas, this.clock.instant());
		this.workers.put(id, worker);
		forgetStaleMarks();
		if (previous == null || !previous.address().equals(address) || !previous.gpuIds().equals(worker.gpuIds())) {
			emit(ClusterChange.WORKER_JOINED);
		}
		else {
			emitReplicaChange(previous.replicas(), worker.replicas());
		}
	}

	/**
	 * Replaces the worker's replicas with the full list it reports.
	 * @return {@code false} when the worker is unknown and must register again
	 */
	public synchronized boolean heartbeat(String id, List<Replica> replicas) {
		Worker previous = this.workers.get(id);
		if (previous == null) {
			return false;
		}
		this.workers.put(id, previous.withReplicas(replicas, this.clock.instant()));
		forgetStaleMarks();
		emitReplicaChange(previous.replicas(), replicas);
		return true;
	}

	/**
	 * Forgets a worker declared dead, unless it was heard from after {@code lastSeen}.
	 * @return whether it was forgotten
	 */
	public synchronized boolean forgetIfSilentSince(String id, Instant lastSeen) {
		Worker worker = this.workers.get(id);
		if (worker == null || worker.lastSeen().isAfter(lastSeen)) {
			return false;
		}
		this.workers.remove(id);
		forgetStaleMarks();
		emit(ClusterChange.WORKER_LEFT);
		return true;
	}

	/**
	 * Marks a reported replica DRAINING, so that the next snapshot tells gateways to stop
	 * sending it requests before it is stopped.
	 */
	public synchronized void markDraining(String replicaId) {
		if (this.draining.add(replicaId)) {
			emit(ClusterChange.REPLICAS_CHANGED);
		}
	}

	/** Every live worker, by id, with DRAINING marks applied to their replicas. */
	public synchronized List<Worker> workers() {
		return this.workers.values()
			.stream()
			.map((worker) -> worker.withReplicas(marked(worker.replicas()), worker.lastSeen()))
			.toList();
	}

	public synchronized Optional<Worker> worker(String id) {
		return Optional.ofNullable(this.workers.get(id))
			.map((worker) -> worker.withReplicas(marked(worker.replicas()), worker.lastSeen()));
	}

	/** Every replica of every live worker. */
	public List<Replica> replicas() {
		return workers().stream().flatMap((worker) -> worker.replicas().stream()).toList();
	}

	public Flux<ClusterChange> changes() {
		return this.changes.asFlux();
	}

	private List<Replica> marked(List<Replica> replicas) {
		return replicas.stream().map(this::marked).toList();
	}

	private Replica marked(Replica replica) {
		return (replica.isLive() && this.draining.contains(replica.id()))
				? replica.withState(ReplicaState.REPLICA_DRAINING) : replica;
	}

	/** A mark lives as long as some worker reports its replica. */
	private void forgetStaleMarks() {
		if (!this.draining.isEmpty()) {
			Set<String> reported = new HashSet<>();
			this.workers.values().forEach((worker) -> worker.replicas().forEach((r) -> reported.add(r.id())));
			this.draining.retainAll(reported);
		}
	}

	private void emitReplicaChange(Collection<Replica> before, List<Replica> after) {
		if (before.equals(after)) {
			return;
		}
		boolean loadsOnly = before.stream()
			.map(Replica::withoutLoad)
			.toList()
			.equals(after.stream().map(Replica::withoutLoad).toList());
		emit(loadsOnly ? ClusterChange.LOADS_CHANGED : ClusterChange.REPLICAS_CHANGED);
	}

	private void emit(ClusterChange change) {
		this.changes.tryEmitNext(change);
	}

}
