package dev.llmserve.worker.replicas;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.llmserve.proto.ReplicaLoad;
import dev.llmserve.proto.ReplicaSpec;
import dev.llmserve.proto.ReplicaState;
import dev.llmserve.proto.ReplicaStatus;
import dev.llmserve.worker.Durations;
import dev.llmserve.worker.replicas.ReplicaRequestException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Every replica on this node, with its GPUs, ports and process. State changes happen
 * under this object's lock and never block; spawning and stopping processes run through
 * {@link ReplicaProcesses}, off the caller's thread. Failures are published on
 * {@link #failures()} for whoever decides about restarts.
 */
public final class ReplicaRegistry {

	private static final Logger log = LoggerFactory.getLogger(ReplicaRegistry.class);

	private final Map<String, SupervisedReplica> replicas = new LinkedHashMap<>();

	private final GpuAllocator gpus;

	private final PortAllocator ports;

	private final ReplicaProcesses processes;

	private final String advertiseHost;

	private final Clock clock;

	private final Sinks.Many<ReplicaFailure> failures = Sinks.many().multicast().onBackpressureBuffer(1024, false);

	private long launches;

	private long relaunches;

	private long failedLaunches;

	private boolean closed;

	ReplicaRegistry(GpuAllocator gpus, PortAllocator ports, ReplicaProcesses processes, String advertiseHost,
			Clock clock) {
		this.gpus = gpus;
		this.ports = ports;
		this.processes = processes;
		this.advertiseHost = advertiseHost;
		this.clock = clock;
	}

	/** The GPU ids this node offers. */
	public List<String> gpuIds() {
		return this.gpus.gpuIds();
	}

	/** Failed launches, as they happen. */
	public Flux<ReplicaFailure> failures() {
		return this.failures.asFlux();
	}

	/**
	 * Starts the replica, or answers the status of the one this id already names.
	 * Completes once its process is spawned (or failed to be).
	 */
	Mono<ReplicaStatus> start(ReplicaSpec spec) {
		return Mono.defer(() -> {
			ReplicaSpecs.validate(spec);
			Started started = admit(spec);
			if (started.launch() == null) {
				return Mono.just(started.status());
			}
			return spawn(started.replica(), started.launch()).then(Mono.fromSupplier(() -> status(started.replica())));
		}).subscribeOn(this.processes.scheduler()); // picking free ports binds sockets
	}

	/**
	 * DRAINING at once; STOPPED once the process is gone (SIGTERM, then SIGKILL after
	 * {@code drainTimeout} plus the stop grace). Answers the DRAINING status.
	 */
	Mono<ReplicaStatus> stop(String replicaId, Duration drainTimeout) {
		return Mono.defer(() -> {
			Stopping stopping = beginStop(replicaId, "draining for up to " + Durations.format(drainTimeout));
			if (stopping.launch() != null) {
				terminate(stopping.replica(), stopping.launch(), this.processes.stopGrace().plus(drainTimeout))
					.subscribe();
			}
			return Mono.just(stopping.status());
		});
	}

	/**
	 * Stops every replica in parallel, each within {@code grace}; no launch after this.
	 */
	public Mono<Void> stopAll(Duration grace) {
		return Mono.defer(() -> {
			List<Stopping> stops = beginStopAll();
			return Flux.fromIterable(stops)
				.flatMap((stop) -> terminate(stop.replica(), stop.launch(), grace), Math.max(1, stops.size()))
				.then();
		});
	}

	synchronized long count(ReplicaState state) {
		return this.replicas.values().stream().filter((replica) -> replica.state() == state).count();
	}

	/** The status of every replica, in the order they were started. */
	/** Processes launched since the worker started, restarts included. */
	synchronized long launchCount() {
		return this.launches;
	}

	/** Relaunches of failed replicas since the worker started. */
	synchronized long restartCount() {
		return this.relaunches;
	}

	/**
	 * Launches that ended in failure: exited, failed to start or recycled as unhealthy.
	 */
	synchronized long failureCount() {
		return this.failedLaunches;
	}

	public synchronized List<ReplicaStatus> statuses() {
		return this.replicas.values().stream().map(this::status).toList();
	}

	/**
	 * The controller received these statuses: a STOPPED replica reported twice is
	 * forgotten.
	 */
	public synchronized void reported(List<ReplicaStatus> statuses) {
		for (ReplicaStatus status : statuses) {
			SupervisedReplica replica = this.replicas.get(status.getSpec().getReplicaId());
			if (status.getState() == ReplicaState.REPLICA_STOPPED && replica != null
					&& replica.state() == ReplicaState.REPLICA_STOPPED && replica.reportedStopped()) {
				this.replicas.remove(replica.id());
			}
		}
	}

	/** Launches that are STARTING or READY, to health-check. */
	public synchronized List<ProbeTarget> probeTargets() {
		List<ProbeTarget> targets = new ArrayList<>();
		for (SupervisedReplica replica : this.replicas.values()) {
			Launch launch = replica.launch();
			if (launch != null && !replica.isStopping()) {
				targets.add(new ProbeTarget(replica.id(), launch.id(), replica.state(), launch.ports().grpc(),
						replica.spec().getEngine().getKind(), launch.launchedAt(), launch.lastHealthyAt()));
			}
		}
		return targets;
	}

	/** The launch answered its health check as serving; {@code load} may be null. */
	public synchronized void healthy(ProbeTarget target, ReplicaLoad load) {
		SupervisedReplica replica = current(target.replicaId(), target.launchId());
		if (replica != null) {
			if (replica.state() == ReplicaState.REPLICA_STARTING) {
				log.info("Replica {} is ready at {}:{}", replica.id(), this.advertiseHost, target.grpcPort());
			}
			replica.healthy(load, this.clock.instant());
		}
	}

	public synchronized void unhealthy(ProbeTarget target) {
		SupervisedReplica replica = current(target.replicaId(), target.launchId());
		if (replica != null) {
			replica.unhealthy();
		}
	}

	/**
	 * Kills a launch that is alive but not healthy and reports it as failed once it is
	 * gone.
	 */
	public Mono<Void> recycle(ProbeTarget target, String reason) {
		return Mono.defer(() -> {
			Failed failed = failLaunch(target.replicaId(), target.launchId(), reason);
			if (failed == null) {
				return Mono.empty();
			}
			log.warn("Replica {} {}; killing it", target.replicaId(), reason);
			return this.processes.stop(failed.launch(), this.processes.stopGrace())
				.doFinally((signal) -> publish(failed.failure()));
		});
	}

	/** Launches a failed replica again, unless it was stopped or restarted meanwhile. */
	public Mono<Void> relaunch(ReplicaFailure failure) {
		return Mono.defer(() -> {
			Started started = beginRelaunch(failure);
			return (started != null) ? spawn(started.replica(), started.launch()) : Mono.empty();
		});
	}

	/** Leaves a failed replica FAILED for good (until it is stopped). */
	public synchronized void giveUp(ReplicaFailure failure, String message) {
		SupervisedReplica replica = this.replicas.get(failure.replicaId());
		if (replica != null && replica.awaitsRestart(failure.launchId())) {
			log.error("Replica {}: {}", replica.id(), message);
			replica.giveUp(message);
		}
	}

	synchronized ReplicaStatus status(String replicaId) {
		SupervisedReplica replica = this.replicas.get(replicaId);
		if (replica == null) {
			throw notFound(replicaId);
		}
		return status(replica);
	}

	private synchronized ReplicaStatus status(SupervisedReplica replica) {
		return replica.status(this.advertiseHost);
	}

	private synchronized Started admit(ReplicaSpec spec) {
		if (this.closed) {
			throw new ReplicaRequestException(Reason.SHUTTING_DOWN, "the worker is shutting down");
		}
		SupervisedReplica existing = this.replicas.get(spec.getReplicaId());
		if (existing != null && existing.state() != ReplicaState.REPLICA_STOPPED) {
			if (!existing.spec().equals(spec)) {
				throw new ReplicaRequestException(Reason.CONFLICT,
						"replica_id: %s (expected: a new id; it already runs deployment %s on GPUs %s)".formatted(
								spec.getReplicaId(), existing.spec().getDeployment(), existing.spec().getGpuIdsList()));
			}
			return new Started(existing, null, status(existing));
		}
		this.gpus.claim(spec.getReplicaId(), spec.getGpuIdsList());
		SupervisedReplica replica = new SupervisedReplica(spec);
		this.replicas.remove(spec.getReplicaId());
		this.replicas.put(spec.getReplicaId(), replica);
		Launch launch = replica.launch(++this.launches, this.ports.reserve(), this.clock.instant());
		log.info("Starting replica {} of {} on GPUs {}", replica.id(), spec.getDeployment(), spec.getGpuIdsList());
		return new Started(replica, launch, null);
	}

	private synchronized Started beginRelaunch(ReplicaFailure failure) {
		SupervisedReplica replica = this.replicas.get(failure.replicaId());
		if (this.closed || replica == null || !replica.awaitsRestart(failure.launchId())) {
			return null;
		}
		Launch launch = replica.relaunch(++this.launches, this.ports.reserve(), this.clock.instant());
		this.relaunches++;
		log.info("Restarting replica {} (restart {})", replica.id(), replica.restarts());
		return new Started(replica, launch, null);
	}

	private synchronized Stopping beginStop(String replicaId, String message) {
		SupervisedReplica replica = this.replicas.get(replicaId);
		if (replica == null) {
			throw notFound(replicaId);
		}
		if (replica.isStopping()) {
			return new Stopping(replica, null, status(replica));
		}
		log.info("Stopping replica {}: {}", replicaId, message);
		Launch launch = replica.beginStop(message);
		if (launch == null) {
			finishStop(replica);
		}
		return new Stopping(replica, launch, status(replica));
	}

	private synchronized List<Stopping> beginStopAll() {
		this.closed = true;
		List<Stopping> stops = new ArrayList<>();
		for (SupervisedReplica replica : List.copyOf(this.replicas.values())) {
			Launch launch = replica.isStopping() ? replica.launch() : replica.beginStop("the worker is shutting down");
			if (launch != null) {
				stops.add(new Stopping(replica, launch, null));
			}
			else if (replica.state() != ReplicaState.REPLICA_STOPPED) {
				finishStop(replica);
			}
		}
		return stops;
	}

	private synchronized Failed failLaunch(String replicaId, long launchId, String message) {
		SupervisedReplica replica = current(replicaId, launchId);
		if (replica == null) {
			return null;
		}
		Launch ended = replica.fail(message);
		this.failedLaunches++;
		this.ports.release(ended.ports());
		return new Failed(ended, new ReplicaFailure(replicaId, launchId, message, replica.restartTimes()));
	}

	private synchronized void finishStop(SupervisedReplica replica) {
		Launch launch = replica.launch();
		if (launch != null) {
			this.ports.release(launch.ports());
		}
		replica.stopped();
		if (this.replicas.get(replica.id()) == replica) {
			this.gpus.release(replica.id());
		}
		log.info("Replica {} stopped", replica.id());
	}

	private SupervisedReplica current(String replicaId, long launchId) {
		SupervisedReplica replica = this.replicas.get(replicaId);
		return (replica != null && replica.isCurrent(launchId)) ? replica : null;
	}

	/** Spawns the launch's process; completes once it runs or failed to start. */
	private Mono<Void> spawn(SupervisedReplica replica, Launch launch) {
		return this.processes.spawn(replica.spec(), launch, (process) -> spawned(replica, launch, process),
				(error) -> failed(replica, launch, "could not start: " + error));
	}

	private void spawned(SupervisedReplica replica, Launch launch, ReplicaProcess process) {
		synchronized (this) {
			launch.spawned(process.pid());
		}
		process.onExit()
			.thenAccept((code) -> failed(replica, launch, ExitDescriptions.describe(code, process.recentOutput())));
	}

	/** Reports an unexpected end of a launch; ignored if it was stopped or replaced. */
	private void failed(SupervisedReplica replica, Launch launch, String message) {
		Failed failed;
		synchronized (this) {
			if (this.replicas.get(replica.id()) != replica) {
				return;
			}
			failed = failLaunch(replica.id(), launch.id(), message);
		}
		if (failed != null) {
			log.warn("Replica {} failed: {}", replica.id(), message);
			publish(failed.failure());
		}
	}

	private Mono<Void> terminate(SupervisedReplica replica, Launch launch, Duration grace) {
		return this.processes.stop(launch, grace).doFinally((signal) -> {
			synchronized (this) {
				if (replica.state() != ReplicaState.REPLICA_STOPPED) {
					finishStop(replica);
				}
			}
		});
	}

	private void publish(ReplicaFailure failure) {
		synchronized (this.failures) {
			this.failures.tryEmitNext(failure);
		}
	}

	private static ReplicaRequestException notFound(String replicaId) {
		return new ReplicaRequestException(Reason.NOT_FOUND,
				"replica_id: %s (expected: a replica this worker runs)".formatted(replicaId));
	}

	private record Started(SupervisedReplica replica, Launch launch, ReplicaStatus status) {
	}

	private record Stopping(SupervisedReplica replica, Launch launch, ReplicaStatus status) {
	}

	private record Failed(Launch launch, ReplicaFailure failure) {
	}

}
