package dev.llmserve.controller.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.llmserve.controller.cluster.ClusterState;
import dev.llmserve.controller.cluster.ClusterSync;
import dev.llmserve.controller.cluster.Replica;
import dev.llmserve.controller.cluster.Worker;
import dev.llmserve.controller.cluster.WorkerClient;
import dev.llmserve.controller.deployments.Deployment;
import dev.llmserve.controller.deployments.DeploymentConditions;
import dev.llmserve.controller.deployments.DeploymentStore;
import dev.llmserve.proto.ReplicaState;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One level-triggered reconciliation: compares the deployments with the replicas workers
 * report (plus the starts it requested that are not reported yet) and acts: places
 * missing replicas, removes surplus ones (DRAINING first, stopped after a propagation
 * delay), stops replicas of unknown or deleted deployments and FAILED ones their worker
 * gave up on (or that stay FAILED too long), and forgets deleted deployments once their
 * replicas are gone. A FAILED replica its worker is restarting still counts: replacing it
 * at once would start a duplicate.
 *
 * <p>
 * Idempotent: calls in flight and requested starts are remembered, so running it again
 * with the same input does nothing again. Does nothing until the cluster is synced (the
 * startup grace), so that replicas reported by re-registering workers are adopted as they
 * are rather than duplicated.
 */
final class Reconciler {

	private static final Logger logger = LoggerFactory.getLogger(Reconciler.class);

	private static final String GAVE_UP = "gave up";

	private static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(Deployment.DEFAULT_DRAIN_TIMEOUT_SECONDS);

	private final DeploymentStore store;

	private final ClusterState cluster;

	private final ClusterSync sync;

	private final WorkerClient workers;

	private final DeploymentConditions conditions;

	private final ReconcileProperties properties;

	private final Clock clock;

	private final Supplier<String> suffixes;

	private volatile Consumer<Duration> wakeUp = (delay) -> {
	};

	private volatile Consumer<String> actions = (action) -> {
	};

	private final Map<String, PendingStart> pending = new LinkedHashMap<>();

	private final Map<String, Retirement> retirements = new LinkedHashMap<>();

	private final Map<String, Instant> failedSince = new HashMap<>();

	private final Map<String, Instant> pausedWorkers = new HashMap<>();

	private final Set<String> removing = new HashSet<>();

	Reconciler(DeploymentStore store, ClusterState cluster, ClusterSync sync, WorkerClient workers,
			DeploymentConditions conditions, ReconcileProperties properties, Clock clock, Supplier<String> suffixes) {
		this.store = store;
		this.cluster = cluster;
		this.sync = sync;
		this.workers = workers;
		this.conditions = conditions;
		this.properties = properties;
		this.clock = clock;
		this.suffixes = suffixes;
	}

	/** Asks for another pass after a delay (a drain's propagation delay ends). */
	void onWakeUp(Consumer<Duration> wakeUp) {
		this.wakeUp = wakeUp;
	}

	/**
	 * Tells {@code actions} of every action taken: {@code start}, {@code drain},
	 * {@code stop}, {@code start_failed}, {@code stop_failed}, {@code remove}.
	 */
	void onAction(Consumer<String> actions) {
		this.actions = actions;
	}

	synchronized void reconcile() {
		if (!this.sync.isSynced()) {
			return;
		}
		Pass pass = Pass.of(this.clock.instant(), this.cluster.workers());
		forgetSettled(pass);
		List<Deployment> deployments = this.store.list();
		retireStrays(pass, deployments.stream().collect(Collectors.toMap(Deployment::name, Function.identity())));
		Capacity capacity = Capacity.of(pass.workers(), this.pending.values(), this.pausedWorkers.keySet());
		deployments.forEach((deployment) -> converge(pass, deployment, capacity));
		this.retirements.values().stream().filter((retirement) -> retirement.isDue(pass.now())).forEach(this::stop);
	}

	/** Starts requested but not reported yet (for tests and status). */
	synchronized Set<String> pendingStarts() {
		return Set.copyOf(this.pending.keySet());
	}

	private void forgetSettled(Pass pass) {
		this.pending.values().removeIf((start) -> isSettled(pass, start));
		this.retirements.keySet().retainAll(pass.replicas().keySet());
		this.failedSince.keySet().retainAll(pass.replicas().keySet());
		this.pausedWorkers.values().removeIf((until) -> !pass.now().isBefore(until));
	}

	private boolean isSettled(Pass pass, PendingStart start) {
		if (pass.replicas().containsKey(start.replicaId())) {
			return true;
		}
		if (!pass.addresses().containsKey(start.workerId())) {
			logger.info("Forgetting the start of replica {}: worker {} is gone", start.replicaId(), start.workerId());
			return true;
		}
		if (!pass.now().isBefore(start.requestedAt().plus(this.properties.startTimeout()))) {
			this.conditions.report(start.deployment(), "a replica did not appear on worker %s within %s of its start"
				.formatted(start.workerId(), this.properties.startTimeout()));
			return true;
		}
		return false;
	}

	private void retireStrays(Pass pass, Map<String, Deployment> deployments) {
		for (Replica replica : pass.replicas().values()) {
			if (this.retirements.containsKey(replica.id()) || isStopping(replica)) {
				continue;
			}
			Deployment deployment = deployments.get(replica.deployment());
			if (deployment == null) {
				retire(pass, replica, DEFAULT_DRAIN_TIMEOUT, "its deployment is unknown");
			}
			else if (deployment.deleting()) {
				retire(pass, replica, deployment.drainTimeout(), "its deployment is being deleted");
			}
			else if (isGivenUp(replica)) {
				retire(pass, replica, deployment.drainTimeout(), "its worker " + replica.message());
			}
			else if (failedTooLong(pass.now(), replica)) {
				retire(pass, replica, deployment.drainTimeout(), "FAILED for " + this.properties.failedReplicaTimeout()
						+ (replica.message().isEmpty() ? "" : " (" + replica.message() + ")"));
			}
		}
	}

	/**
	 * The worker agent leaves a replica it gave up restarting FAILED, with a message
	 * starting "gave up".
	 */
	private static boolean isGivenUp(Replica replica) {
		return replica.state() == ReplicaState.REPLICA_FAILED
				&& replica.message().regionMatches(true, 0, GAVE_UP, 0, GAVE_UP.length());
	}

	private static boolean isStopping(Replica replica) {
		return replica.state() == ReplicaState.REPLICA_DRAINING || replica.state() == ReplicaState.REPLICA_STOPPED;
	}

	private boolean failedTooLong(Instant now, Replica replica) {
		if (replica.state() != ReplicaState.REPLICA_FAILED) {
			this.failedSince.remove(replica.id());
			return false;
		}
		Instant since = this.failedSince.computeIfAbsent(replica.id(), (id) -> now);
		return !now.isBefore(since.plus(this.properties.failedReplicaTimeout()));
	}

	/**
	 * Counts the deployment's replicas: STARTING, READY, and FAILED ones their worker is
	 * restarting (they keep their id and GPUs and come back), plus requested starts.
	 */
	private void converge(Pass pass, Deployment deployment, Capacity capacity) {
		if (deployment.deleting()) {
			removeOnceGone(pass, deployment);
			return;
		}
		List<Replica> counted = pass.replicas()
			.values()
			.stream()
			.filter((replica) -> replica.deployment().equals(deployment.name())
					&& (replica.isLive() || replica.state() == ReplicaState.REPLICA_FAILED)
					&& !this.retirements.containsKey(replica.id()))
			.toList();
		long requested = this.pending.values().stream().filter((s) -> s.deployment().equals(deployment.name())).count();
		int desired = deployment.desiredReplicas();
		int surplus = (int) Math.min(counted.size() + requested - desired, counted.size());
		if (surplus > 0) {
			SurplusPolicy.choose(counted, surplus)
				.forEach((replica) -> retire(pass, replica, deployment.drainTimeout(), "scaled to " + desired));
		}
		else if (counted.size() + requested < desired) {
			placeMissing(pass, deployment, (int) (desired - counted.size() - requested), capacity);
		}
		if (requested == 0 && counted.stream().filter(Replica::isLive).count() >= desired) {
			this.conditions.clear(deployment.name());
		}
	}

	private void placeMissing(Pass pass, Deployment deployment, int missing, Capacity capacity) {
		int unplaced = 0;
		for (int i = 0; i < missing; i++) {
			Optional<Placement> placement = capacity.place(deployment.name(), deployment.gpusPerReplica());
			if (placement.isPresent()) {
				start(pass, deployment, placement.get());
			}
			else {
				unplaced++;
			}
		}
		if (unplaced > 0) {
			this.conditions.report(deployment.name(),
					"%d of %d replica(s) cannot be placed: each needs %d free GPU(s) on one worker; %s".formatted(
							unplaced, deployment.desiredReplicas(), deployment.gpusPerReplica(), capacity.describe()));
		}
	}

	private void start(Pass pass, Deployment deployment, Placement placement) {
		String id = newReplicaId(pass, deployment);
		PendingStart start = new PendingStart(id, deployment.name(), placement.workerId(), placement.gpuIds(),
				pass.now());
		this.pending.put(id, start);
		this.actions.accept("start");
		logger.info("Starting replica {} of {} on worker {} (GPUs {})", id, deployment.name(), placement.workerId(),
				placement.gpuIds());
		this.workers.startReplica(placement.address(), ReplicaSpecs.of(id, deployment, placement.gpuIds()))
			.subscribe((status) -> logger.debug("Worker {} accepted replica {}", placement.workerId(), id),
					(error) -> startFailed(start, error));
	}

	private String newReplicaId(Pass pass, Deployment deployment) {
		String id;
		do {
			id = deployment.name() + "-" + this.suffixes.get();
		}
		while (this.pending.containsKey(id) || pass.replicas().containsKey(id));
		return id;
	}

	private synchronized void startFailed(PendingStart start, Throwable error) {
		this.pending.remove(start.replicaId());
		this.actions.accept("start_failed");
		this.pausedWorkers.put(start.workerId(), this.clock.instant().plus(this.properties.retryInterval()));
		this.conditions.report(start.deployment(), "StartReplica on worker %s failed (%s); trying again in %s"
			.formatted(start.workerId(), describe(error), this.properties.retryInterval()));
	}

	private void retire(Pass pass, Replica replica, Duration drainTimeout, String reason) {
		boolean routed = replica.state() == ReplicaState.REPLICA_READY;
		Duration delay = routed ? this.properties.drainPropagationDelay() : Duration.ZERO;
		if (routed) {
			this.cluster.markDraining(replica.id());
			this.actions.accept("drain");
		}
		this.retirements.put(replica.id(), new Retirement(replica.id(), pass.addresses().get(replica.workerId()),
				drainTimeout, pass.now().plus(delay)));
		logger.info("Removing replica {} of {} on worker {}: {}{}", replica.id(), replica.deployment(),
				replica.workerId(), reason, routed ? "; DRAINING, stopping it in " + delay : "");
		if (!delay.isZero()) {
			this.wakeUp.accept(delay);
		}
	}

	private void stop(Retirement retirement) {
		retirement.sent();
		this.actions.accept("stop");
		this.workers.stopReplica(retirement.address, retirement.replicaId, retirement.drainTimeout)
			.subscribe((status) -> stopped(retirement), (error) -> stopFailed(retirement, error));
	}

	private synchronized void stopped(Retirement retirement) {
		retirement.acknowledged();
	}

	private synchronized void stopFailed(Retirement retirement, Throwable error) {
		if (Status.fromThrowable(error).getCode() == Status.Code.NOT_FOUND) {
			retirement.acknowledged();
			return;
		}
		this.actions.accept("stop_failed");
		Instant retry = this.clock.instant().plus(this.properties.retryInterval());
		retirement.retryAt(retry);
		logger.warn("StopReplica {} at {} failed ({}); trying again at {}", retirement.replicaId, retirement.address,
				describe(error), retry);
	}

	private void removeOnceGone(Pass pass, Deployment deployment) {
		boolean remains = pass.replicas()
			.values()
			.stream()
			.anyMatch((replica) -> replica.deployment().equals(deployment.name()) && replica.holdsGpus())
				|| this.pending.values().stream().anyMatch((start) -> start.deployment().equals(deployment.name()));
		if (remains || !this.removing.add(deployment.name())) {
			return;
		}
		this.actions.accept("remove");
		this.store.remove(deployment.name())
			.doFinally((signal) -> removalEnded(deployment.name()))
			.subscribe(null, (error) -> logger.error("Cannot forget deleted deployment {}", deployment.name(), error),
					() -> logger.info("Deployment {} deleted: its replicas are gone", deployment.name()));
	}

	private synchronized void removalEnded(String deployment) {
		this.removing.remove(deployment);
		this.conditions.clear(deployment);
	}

	private static String describe(Throwable error) {
		Status status = Status.fromThrowable(error);
		return (status.getCode() != Status.Code.UNKNOWN) ? status.getCode() + ": " + status.getDescription()
				: error.toString();
	}

	/** The actual state one pass works on. */
	private record Pass(Instant now, List<Worker> workers, Map<String, Replica> replicas,
			Map<String, String> addresses) {

		static Pass of(Instant now, List<Worker> workers) {
			Map<String, Replica> replicas = new LinkedHashMap<>();
			Map<String, String> addresses = new HashMap<>();
			for (Worker worker : workers) {
				addresses.put(worker.id(), worker.address());
				worker.replicas().forEach((replica) -> replicas.put(replica.id(), replica));
			}
			return new Pass(now, workers, replicas, addresses);
		}

	}

}
