package dev.llmserve.worker.replicas;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.llmserve.proto.ListReplicasRequest;
import dev.llmserve.proto.ReplicaState;
import dev.llmserve.proto.ReplicaStatus;
import dev.llmserve.proto.StartReplicaRequest;
import dev.llmserve.proto.StopReplicaRequest;
import dev.llmserve.worker.support.Eventually;
import dev.llmserve.worker.support.FakeController;
import dev.llmserve.worker.support.ProcessTree;
import dev.llmserve.worker.support.WorkerAgentApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.llmserve.worker.replicas.TestReplicas.spec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker with real replica-service processes (simulator engine, instant profile):
 * they become ready, crash and come back, drain and stop, and leave nothing behind.
 */
class ReplicaProcessIntegrationTests {

	/** Two JVMs and a Python simulator starting on two busy cores. */
	private static final Duration STARTUP = Duration.ofSeconds(90);

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final FakeController controller = FakeController.start();

	private final List<ProcessTree> started = new ArrayList<>();

	private WorkerAgentApp worker;

	@BeforeEach
	void startWorker() {
		this.worker = WorkerAgentApp.start(Map.of("id", "worker-it", "controller", this.controller.address(),
				"replica-jar", replicaJar().toString(), "replica-jvm-options",
				"-Xmx256m,-XX:+UseSerialGC,-XX:TieredStopAtLevel=1,-Xss512k", "heartbeat-interval", "300ms",
				"health.interval", "250ms", "restart.initial-backoff", "2s", "stop-grace", "10s"));
	}

	@AfterEach
	void stopEverything() {
		try {
			if (this.worker != null) {
				this.worker.close();
			}
			this.controller.close();
		}
		finally {
			this.started.forEach(ProcessTree::kill);
		}
	}

	@Test
	void readyReplicasDrainAndStopOnRequestAndNoneOutlivesTheWorker() {
		ReplicaStatus starting = start("r1", "0");
		start("r2", "1");
		assertThat(starting.getState()).isEqualTo(ReplicaState.REPLICA_STARTING);

		ReplicaStatus ready = awaitReadyInAHeartbeat("r1");
		ProcessTree first = track(ready.getPid());
		ProcessTree second = track(awaitReadyInAHeartbeat("r2").getPid());

		assertThat(ready.getAddress()).matches("127\\.0\\.0\\.1:\\d+");
		assertThat(ready.getPid()).isEqualTo(starting.getPid());
		assertThat(ready.getSpec().getGpuIdsList()).containsExactly("0");
		assertThat(List.of(first, second)).allSatisfy(
				(tree) -> assertThat(tree.hasCommandContaining("llmserve_sim")).as("engine in %s", tree).isTrue());

		ReplicaStatus draining = this.worker.agent()
			.stopReplica(StopReplicaRequest.newBuilder().setReplicaId("r1").setDrainTimeoutMillis(3000).build())
			.getStatus();

		assertThat(draining.getState()).isEqualTo(ReplicaState.REPLICA_DRAINING);
		Eventually.await("r1 STOPPED in a heartbeat", TIMEOUT,
				() -> this.controller.heartbeats()
					.stream()
					.flatMap((heartbeat) -> heartbeat.getReplicasList().stream())
					.anyMatch((status) -> status.getSpec().getReplicaId().equals("r1")
							&& status.getState() == ReplicaState.REPLICA_STOPPED));
		assertThat(first.alive()).isEmpty();
		Eventually.await("r1 forgotten once reported", TIMEOUT, () -> find("r1") == null);
		assertThat(second.alive()).isNotEmpty();

		this.worker.close();

		assertThat(second.alive()).isEmpty();
	}

	@Test
	void aKilledReplicaIsReportedFailedThenRestartedOnItsGpus() {
		start("r1", "1");
		ReplicaStatus ready = awaitListed("r1 READY", STARTUP, ReplicaState.REPLICA_READY);
		ProcessTree first = track(ready.getPid());

		ProcessHandle.of(ready.getPid()).orElseThrow().destroyForcibly();

		ReplicaStatus failed = awaitListed("r1 FAILED", TIMEOUT, ReplicaState.REPLICA_FAILED);
		assertThat(failed.getMessage()).contains("exited with code 137");
		ReplicaStatus again = awaitListed("r1 READY again", STARTUP, ReplicaState.REPLICA_READY);
		track(again.getPid());
		assertThat(again.getRestarts()).isEqualTo(1);
		assertThat(again.getPid()).isNotEqualTo(ready.getPid());
		assertThat(again.getSpec().getGpuIdsList()).containsExactly("1");
		Eventually.await("the killed replica's engine gone", TIMEOUT, () -> first.alive().isEmpty());
	}

	private ReplicaStatus awaitReadyInAHeartbeat(String id) {
		return Eventually.await(id + " READY with its load in a heartbeat", STARTUP,
				() -> this.controller.lastReported(id).orElse(null),
				(status) -> status.getState() == ReplicaState.REPLICA_READY && status.getLoad().getEngineHealthy());
	}

	private ReplicaStatus start(String id, String... gpus) {
		ReplicaStatus status = this.worker.agent()
			.startReplica(StartReplicaRequest.newBuilder().setSpec(spec(id, gpus)).build())
			.getStatus();
		track(status.getPid());
		return status;
	}

	private ProcessTree track(long pid) {
		ProcessTree tree = ProcessTree.of(pid);
		this.started.add(tree);
		return tree;
	}

	private ReplicaStatus awaitListed(String what, Duration timeout, ReplicaState state) {
		return Eventually.await(what, timeout, () -> find("r1"), (status) -> status.getState() == state);
	}

	private ReplicaStatus find(String id) {
		return list().stream().filter((status) -> status.getSpec().getReplicaId().equals(id)).findFirst().orElse(null);
	}

	private List<ReplicaStatus> list() {
		return this.worker.agent().listReplicas(ListReplicasRequest.getDefaultInstance()).getReplicasList();
	}

	/** The jar the build made; {@code -Dllmserve.replica-jar} points elsewhere. */
	private static Path replicaJar() {
		Path jar = Path.of(System.getProperty("llmserve.replica-jar", "../replica-service/target/replica-service.jar"))
			.toAbsolutePath()
			.normalize();
		assertThat(jar).as("the replica-service jar (build replica-service first)").satisfies(Files::isRegularFile);
		return jar;
	}

}
