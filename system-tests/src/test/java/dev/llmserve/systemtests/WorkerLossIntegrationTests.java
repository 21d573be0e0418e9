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
 * A worker agent killed with SIGKILL: nothing it ran survives it, and its replicas are
 * replaced.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class WorkerLossIntegrationTests {

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
	void aDeadWorkersReplicasDieWithItAndAreReplaced() throws Exception {
		this.cluster = ControlPlane.start(this.dataDir);
		this.cluster.deployAndAwaitReady("demo", 2);
		ProcessHandle worker = this.cluster.process("worker-agent", "--llmserve.worker.id=local-0");
		List<ProcessHandle> itsProcesses = worker.descendants().toList();
		assertThat(itsProcesses).as("the worker's replica and engine").isNotEmpty();

		worker.destroyForcibly();

		await().atMost(Duration.ofSeconds(10)).until(() -> itsProcesses.stream().noneMatch(ProcessHandle::isAlive));
		await().atMost(Duration.ofSeconds(90)).until(() -> this.cluster.readyReplicas("demo").size() == 2);
		for (int i = 0; i < 5; i++) {
			assertThat(Streams.failureOf(this.cluster.gatewayPort(), "/v1/completions",
					"{\"model\":\"demo\",\"prompt\":\"Hi\",\"max_tokens\":3,\"stream\":true}"))
				.isNull();
		}
	}

}
