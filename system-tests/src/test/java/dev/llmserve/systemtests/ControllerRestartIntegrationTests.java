package dev.llmserve.systemtests;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The controller killed with SIGKILL while streams run: the data plane keeps serving from
 * its last snapshot, and the restarted controller adopts everything that is still
 * running.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ControllerRestartIntegrationTests {

	@TempDir
	Path dataDir;

	@RegisterExtension
	final KeepLogsOnFailure keepLogs = new KeepLogsOnFailure(() -> this.dataDir);

	private ControlPlane cluster;

	@AfterEach
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
			assertThat(this.cluster.leftovers()).as("processes left running").isEmpty();
		}
	}

	@Test
	void dataPlaneOutlivesTheControllerAndTheNextControllerAdoptsIt() throws Exception {
		this.cluster = ControlPlane.start(this.dataDir);
		this.cluster.deployAndAwaitReady("demo", 2);
		List<String> replicaIds = this.cluster.readyReplicas("demo");
		List<Long> dataPlanePids = dataPlanePids();
		assertThat(dataPlanePids).hasSize(5);

		try (BackgroundLoad load = BackgroundLoad.start(this.cluster.gatewayPort(), "demo", 6, 60)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() > 5);
			// SIGKILL to the controller alone: its children are not signalled, as in a
			// crash.
			ProcessHandle.of(this.cluster.controller().process().pid()).orElseThrow().destroyForcibly();
			int beforeOutage = load.succeeded();

			Thread.sleep(4000);
			assertThat(load.succeeded()).as("streams served while the controller is down").isGreaterThan(beforeOutage);

			this.cluster.startController();
			await().atMost(Duration.ofSeconds(60)).until(() -> this.cluster.readyReplicas("demo").size() == 2);
			Thread.sleep(3000);
			load.close();

			assertThat(load.failures()).as("failed streams").isEmpty();
		}
		assertThat(this.cluster.readyReplicas("demo")).containsExactlyInAnyOrderElementsOf(replicaIds);
		assertThat(dataPlanePids()).as("gateway, workers and replicas: adopted, not restarted")
			.containsExactlyInAnyOrderElementsOf(dataPlanePids);
		assertThat(Streams.failureOf(this.cluster.gatewayPort(), "/v1/completions",
				"{\"model\":\"demo\",\"prompt\":\"Hi\",\"max_tokens\":3,\"stream\":true}"))
			.isNull();
	}

	/** Gateway, worker and replica JVMs of this cluster (engines excluded). */
	private List<Long> dataPlanePids() {
		return this.cluster.processes().stream().filter(ProcessHandle::isAlive).filter((handle) -> {
			String line = handle.info().commandLine().orElse("");
			return line.contains("gateway-service.jar") || line.contains("worker-agent.jar")
					|| line.contains("replica-service.jar");
		}).map(ProcessHandle::pid).distinct().sorted().toList();
	}

}
