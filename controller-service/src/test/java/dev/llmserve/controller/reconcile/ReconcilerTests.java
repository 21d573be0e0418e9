package dev.llmserve.controller.reconcile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.llmserve.controller.cluster.ClusterState;
import dev.llmserve.controller.cluster.ClusterSync;
import dev.llmserve.controller.cluster.FakeWorkerClient;
import dev.llmserve.controller.cluster.FakeWorkerClient.Start;
import dev.llmserve.controller.cluster.FakeWorkerClient.Stop;
import dev.llmserve.controller.cluster.Load;
import dev.llmserve.controller.cluster.MutableClock;
import dev.llmserve.controller.cluster.Replica;
import dev.llmserve.controller.cluster.Replicas;
import dev.llmserve.controller.deployments.DeploymentConditions;
import dev.llmserve.controller.deployments.DeploymentStore;
import dev.llmserve.proto.ReplicaState;
import io.grpc.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import static dev.llmserve.controller.cluster.Replicas.ready;
import static dev.llmserve.controller.cluster.Replicas.replica;
import static dev.llmserve.controller.deployments.Deployments.sim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ReconcilerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final ReconcileProperties PROPERTIES = new ReconcileProperties(Duration.ofSeconds(1),
			Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(5));

	@TempDir
	Path directory;

	private final MutableClock clock = new MutableClock();

	private final ClusterState cluster = new ClusterState(this.clock);

	private final ClusterSync sync = new ClusterSync();

	private final FakeWorkerClient workers = new FakeWorkerClient();

	private final DeploymentConditions conditions = new DeploymentConditions();

	private final List<Duration> wakeUps = new ArrayList<>();

	private final AtomicInteger suffixes = new AtomicInteger();

	private DeploymentStore store;

	private Reconciler reconciler;

	@BeforeEach
	void createReconciler() {
		this.store = DeploymentStore.open(this.directory.resolve("deployments.json"), List.of());
		this.reconciler = new Reconciler(this.store, this.cluster, this.sync, this.workers, this.conditions, PROPERTIES,
				this.clock, () -> "r" + this.suffixes.incrementAndGet());
		this.reconciler.onWakeUp(this.wakeUps::add);
		this.sync.markSynced();
	}

	@Test
	void placesMissingReplicasOnAWorkerWithFreeGpus() {
		deploy("tiny", 2, 1);
		worker("w1", "0", "1");

		this.reconciler.reconcile();

		assertThat(this.workers.starts).extracting(Start::address).containsOnly("127.0.0.1:7001");
		assertThat(this.workers.starts).extracting((start) -> List.copyOf(start.spec().getGpuIdsList()))
			.containsExactly(List.of("0"), List.of("1"));
		assertThat(this.workers.starts).extracting(Start::replicaId).containsExactly("tiny-r1", "tiny-r2");
		Start first = this.workers.starts.get(0);
		assertThat(first.spec().getDeployment()).isEqualTo("tiny");
		assertThat(first.spec().getEngine().getKind()).isEqualTo("sim");
		assertThat(first.spec().getEngine().getProfile()).isEqualTo("instant");
		assertThat(first.spec().getEngine().getModel()).isEqualTo("TinyLlama/TinyLlama-1.1B-Chat-v1.0");
		assertThat(first.spec().getEngine().getArgsList()).containsExactly("--fixed-itl-ms", "10");
	}

	@Test
	void spreadsADeploymentAcrossWorkersBeforeFillingTheEmptiest() {
		deploy("tiny", 2, 1);
		worker("w1", "0", "1", "2", "3");
		worker("w2", "0", "1");

		this.reconciler.reconcile();
		assertThat(startedOn()).containsExactly("w1", "w2");

		scale("tiny", 3);
		this.reconciler.reconcile();
		assertThat(startedOn()).as("the most free GPUs when both hold one").containsExactly("w1", "w2", "w1");
	}

	@Test
	void givesANewReplicaOnlyGpusNoOtherReplicaHolds() {
		deploy("other", 1, 2);
		deploy("big", 2, 2);
		worker("w1", "0", "1", "2", "3", ready("other-a", "other", "w1", "0", "1"));

		this.reconciler.reconcile();

		assertThat(this.workers.starts).singleElement()
			.satisfies((start) -> assertThat(start.spec().getGpuIdsList()).containsExactly("2", "3"));
		assertThat(this.conditions.message("big")).hasValueSatisfying((message) -> assertThat(message)
			.contains("1 of 2 replica(s) cannot be placed", "2 free GPU(s)", "w1 0/4"));
	}

	@Test
	void stoppedReplicasFreeTheirGpus() {
		deploy("tiny", 1, 1);
		worker("w1", "0", replica("old-a", "tiny", "w1", ReplicaState.REPLICA_STOPPED, "0"));

		this.reconciler.reconcile();

		assertThat(this.workers.starts).singleElement()
			.satisfies((start) -> assertThat(start.spec().getGpuIdsList()).containsExactly("0"));
	}

	@Test
	void saysWhyAReplicaCannotBePlacedAndClearsItOnceItIs() {
		deploy("tiny", 1, 1);

		this.reconciler.reconcile();
		assertThat(this.conditions.message("tiny")).contains(
				"1 of 1 replica(s) cannot be placed: each needs 1 free GPU(s) on one worker; no worker is registered");

		worker("w1", "0");
		this.reconciler.reconcile();
		report("w1", replica("tiny-r1", "tiny", "w1", ReplicaState.REPLICA_STARTING, "0"));
		this.reconciler.reconcile();
		assertThat(this.conditions.message("tiny")).isEmpty();
	}

	@Test
	void neverStartsAReplicaTwiceWhileItsStartIsPending() {
		this.workers.startAnswer = (spec) -> Mono.never();
		deploy("tiny", 2, 1);
		worker("w1", "0", "1", "2", "3");

		this.reconciler.reconcile();
		this.reconciler.reconcile();
		assertThat(this.workers.starts).hasSize(2);

		report("w1", replica("tiny-r1", "tiny", "w1", ReplicaState.REPLICA_STARTING, "0"),
				replica("tiny-r2", "tiny", "w1", ReplicaState.REPLICA_STARTING, "1"));
		this.reconciler.reconcile();
		assertThat(this.workers.starts).hasSize(2);
		assertThat(this.reconciler.pendingStarts()).isEmpty();
	}

	@Test
	void placesAgainWhenAStartedReplicaIsNeverReported() {
		deploy("tiny", 1, 1);
		worker("w1", "0", "1");
		this.reconciler.reconcile();

		this.clock.advance(Duration.ofSeconds(29));
		heartbeat("w1");
		this.reconciler.reconcile();
		assertThat(this.workers.starts).hasSize(1);

		this.clock.advance(Duration.ofSeconds(1));
		heartbeat("w1");
		this.reconciler.reconcile();
		assertThat(this.workers.starts).hasSize(2);
	}

	@Test
	void aFailedStartPausesPlacementOnThatWorker() {
		this.workers.startAnswer = (spec) -> Mono.error(Status.UNAVAILABLE.withDescription("no").asRuntimeException());
		deploy("tiny", 1, 1);
		worker("w1", "0");

		this.reconciler.reconcile();
		assertThat(this.conditions.message("tiny")).hasValueSatisfying(
				(message) -> assertThat(message).contains("StartReplica on worker w1 failed (UNAVAILABLE: no)"));
		this.reconciler.reconcile();
		assertThat(this.workers.starts).hasSize(1);
		assertThat(this.conditions.message("tiny"))
			.hasValueSatisfying((message) -> assertThat(message).contains("paused after a failed start"));

		this.clock.advance(Duration.ofSeconds(5));
		heartbeat("w1");
		this.reconciler.reconcile();
		assertThat(this.workers.starts).hasSize(2);
	}

	@Test
	void replacesTheReplicasOfADeadWorkerOnAnotherWorker() {
		deploy("tiny", 2, 1);
		worker("w1", "0", ready("tiny-a", "tiny", "w1", "0"));
		worker("w2", "0", "1", ready("tiny-b", "tiny", "w2", "0"));
		this.reconciler.reconcile();
		assertThat(this.workers.starts).isEmpty();

		this.cluster.forgetIfSilentSince("w1", this.clock.instant());
		this.reconciler.reconcile();

		assertThat(this.workers.starts).singleElement().satisfies((start) -> {
			assertThat(start.address()).isEqualTo("127.0.0.1:7002");
			assertThat(start.spec().getGpuIdsList()).containsExactly("1");
		});
	}

	@Test
	void drainsSurplusReplicasInTheSnapshotBeforeStoppingThem() {
		deploy("tiny", 2, 1);
		worker("w1", "0", "1", ready("tiny-a", "tiny", "w1", "0"), ready("tiny-b", "tiny", "w1", "1"));
		scale("tiny", 1);

		this.reconciler.reconcile();
		assertThat(this.cluster.replicas()).extracting(Replica::id, Replica::state)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("tiny-a", ReplicaState.REPLICA_READY),
					org.assertj.core.groups.Tuple.tuple("tiny-b", ReplicaState.REPLICA_DRAINING));
		assertThat(this.workers.stops).as("not before gateways heard of it").isEmpty();
		assertThat(this.wakeUps).containsExactly(Duration.ofSeconds(1));

		this.clock.advance(Duration.ofSeconds(1));
		this.reconciler.reconcile();
		this.reconciler.reconcile();
		assertThat(this.workers.stops).containsExactly(new Stop("127.0.0.1:7001", "tiny-b", Duration.ofSeconds(30)));
		assertThat(this.workers.starts).isEmpty();
	}

	@Test
	void removesStartingReplicasFirstAndWithoutWaiting() {
		deploy("tiny", 2, 1);
		worker("w1", "0", "1", ready("tiny-a", "tiny", "w1", "0"),
				replica("tiny-b", "tiny", "w1", ReplicaState.REPLICA_STARTING, "1"));
		scale("tiny", 1);

		this.reconciler.reconcile();

		assertThat(this.workers.stops).extracting(Stop::replicaId).containsExactly("tiny-b");
	}

	@Test
	void removesTheLeastLoadedReplicaOfTheWorkerHoldingTheMost() {
		deploy("tiny", 3, 1);
		Load busy = new Load(5, 0, 0.1, 5, true, 1);
		worker("w1", "0", "1", Replicas.withLoad(ready("tiny-a", "tiny", "w1", "0"), busy),
				ready("tiny-b", "tiny", "w1", "1"));
		worker("w2", "0", ready("tiny-c", "tiny", "w2", "0"));
		scale("tiny", 2);

		this.reconciler.reconcile();
		this.clock.advance(Duration.ofSeconds(1));
		this.reconciler.reconcile();

		assertThat(this.workers.stops).extracting(Stop::replicaId).containsExactly("tiny-b");
	}

	@Test
	void aFailedStopIsSentAgainLater() {
		this.workers.stopAnswer = (id) -> Mono.error(Status.UNAVAILABLE.asRuntimeException());
		worker("w1", "0", replica("ghost-a", "ghost", "w1", ReplicaState.REPLICA_STARTING, "0"));

		this.reconciler.reconcile();
		this.reconciler.reconcile();
		assertThat(this.workers.stops).hasSize(1);

		this.clock.advance(Duration.ofSeconds(5));
		heartbeat("w1", replica("ghost-a", "ghost", "w1", ReplicaState.REPLICA_STARTING, "0"));
		this.reconciler.reconcile();
		assertThat(this.workers.stops).hasSize(2);
	}

	@Test
	void stopsReplicasOfUnknownDeployments() {
		worker("w1", "0", ready("ghost-a", "ghost", "w1", "0"));

		this.reconciler.reconcile();
		this.clock.advance(Duration.ofSeconds(1));
		this.reconciler.reconcile();

		assertThat(this.workers.stops).extracting(Stop::replicaId).containsExactly("ghost-a");
	}

	@Test
	void leavesAFailedReplicaToTheWorkerRestartingIt() {
		deploy("tiny", 1, 1);
		worker("w1", "0", "1", failed("tiny-a", "exited with code 137"));

		this.reconciler.reconcile();
		this.clock.advance(Duration.ofSeconds(59));
		heartbeat("w1", failed("tiny-a", "exited with code 137"));
		this.reconciler.reconcile();

		assertThat(this.workers.starts).as("no duplicate while its worker restarts it").isEmpty();
		assertThat(this.workers.stops).isEmpty();
	}

	@Test
	void replacesAFailedReplicaItsWorkerGaveUpOn() {
		deploy("tiny", 1, 1);
		worker("w1", "0", "1", failed("tiny-a", "gave up: 10 restarts in 10m; last failure: exited with code 1"));

		this.reconciler.reconcile();

		assertThat(this.workers.stops).extracting(Stop::replicaId).containsExactly("tiny-a");
		assertThat(this.workers.starts).singleElement()
			.satisfies((start) -> assertThat(start.spec().getGpuIdsList()).containsExactly("1"));
	}

	@Test
	void replacesAReplicaThatStaysFailedTooLong() {
		deploy("tiny", 1, 1);
		worker("w1", "0", "1", failed("tiny-a", ""));
		this.reconciler.reconcile();

		this.clock.advance(Duration.ofSeconds(60));
		heartbeat("w1", failed("tiny-a", ""));
		this.reconciler.reconcile();

		assertThat(this.workers.stops).extracting(Stop::replicaId).containsExactly("tiny-a");
		assertThat(this.workers.starts).hasSize(1);
	}

	@Test
	void removesFailedReplicasFirstWhenScalingDown() {
		deploy("tiny", 2, 1);
		worker("w1", "0", "1", ready("tiny-a", "tiny", "w1", "0"), failed("tiny-b", "exited with code 1"));
		scale("tiny", 1);

		this.reconciler.reconcile();

		assertThat(this.workers.stops).extracting(Stop::replicaId).containsExactly("tiny-b");
	}

	@Test
	void aDeletedDeploymentDrainsItsReplicasThenDisappears() {
		deploy("tiny", 1, 1);
		worker("w1", "0", ready("tiny-a", "tiny", "w1", "0"));
		this.store.delete("tiny").block(TIMEOUT);

		this.reconciler.reconcile();
		assertThat(this.cluster.replicas()).extracting(Replica::state).containsExactly(ReplicaState.REPLICA_DRAINING);
		this.clock.advance(Duration.ofSeconds(1));
		this.reconciler.reconcile();
		assertThat(this.workers.stops).extracting(Stop::replicaId).containsExactly("tiny-a");
		assertThat(this.store.find("tiny")).as("until its replicas are gone").isPresent();

		heartbeat("w1");
		this.reconciler.reconcile();
		await().atMost(TIMEOUT).until(() -> this.store.find("tiny").isEmpty());
		assertThat(this.workers.starts).isEmpty();
	}

	@Test
	void doesNothingDuringTheStartupGrace() {
		ClusterSync notYet = new ClusterSync();
		Reconciler restarted = new Reconciler(this.store, this.cluster, notYet, this.workers, this.conditions,
				PROPERTIES, this.clock, () -> "x");
		deploy("tiny", 2, 1);
		worker("w1", "0", "1", ready("ghost-a", "ghost", "w1", "0"));

		restarted.reconcile();

		assertThat(this.workers.starts).isEmpty();
		assertThat(this.workers.stops).isEmpty();
		assertThat(this.cluster.replicas()).extracting(Replica::state).containsOnly(ReplicaState.REPLICA_READY);
	}

	@Test
	void adoptsTheReplicasWorkersReportAfterARestart() {
		ClusterSync restartedSync = new ClusterSync();
		Reconciler restarted = new Reconciler(this.store, this.cluster, restartedSync, this.workers, this.conditions,
				PROPERTIES, this.clock, () -> "x");
		deploy("tiny", 3, 1);
		restarted.reconcile();
		worker("w1", "0", "1", ready("tiny-a", "tiny", "w1", "0"),
				replica("tiny-b", "tiny", "w1", ReplicaState.REPLICA_STARTING, "1"));
		worker("w2", "0", "1", ready("tiny-c", "tiny", "w2", "1"));

		restartedSync.markSynced();
		restarted.reconcile();
		restarted.reconcile();

		assertThat(this.workers.starts).isEmpty();
		assertThat(this.workers.stops).isEmpty();
		assertThat(this.cluster.replicas()).extracting(Replica::id).containsExactly("tiny-a", "tiny-b", "tiny-c");
	}

	private static Replica failed(String id, String message) {
		Replica replica = replica(id, "tiny", "w1", ReplicaState.REPLICA_FAILED, "0");
		return new Replica(replica.id(), replica.deployment(), replica.workerId(), replica.gpuIds(), replica.state(),
				"", "", replica.load(), 1, message);
	}

	private void deploy(String name, int replicas, int gpus) {
		this.store.create(sim(name, replicas, gpus)).block(TIMEOUT);
	}

	private void scale(String name, int replicas) {
		this.store.scale(name, replicas).block(TIMEOUT);
	}

	/** Registers a worker: GPU ids, then the replicas it runs. */
	private void worker(String id, Object... gpusThenReplicas) {
		List<String> gpus = Arrays.stream(gpusThenReplicas)
			.filter(String.class::isInstance)
			.map(String.class::cast)
			.toList();
		List<Replica> replicas = Arrays.stream(gpusThenReplicas)
			.filter(Replica.class::isInstance)
			.map(Replica.class::cast)
			.toList();
		int number = this.cluster.workers().size() + 1;
		this.cluster.register(id, "127.0.0.1:700" + number, gpus, replicas);
	}

	private void report(String workerId, Replica... replicas) {
		this.cluster.heartbeat(workerId, List.of(replicas));
	}

	private void heartbeat(String workerId, Replica... replicas) {
		report(workerId, replicas);
	}

	private List<String> startedOn() {
		return this.workers.starts.stream()
			.map((start) -> start.address().equals("127.0.0.1:7001") ? "w1" : "w2")
			.toList();
	}

}
