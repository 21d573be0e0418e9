package dev.llmserve.worker.replicas;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.llmserve.proto.EngineSpec;
import dev.llmserve.proto.ReplicaSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ReplicaCommandLineTests {

	private final ReplicaCommandLine commandLine = new ReplicaCommandLine(Path.of("/jdk/bin/java"), List.of("-Xmx384m"),
			Path.of("/repo/replica-service/target/replica-service.jar"), "127.0.0.1");

	@Test
	void runsTheReplicaJarOnItsPortsWithItsEngineAndGpus() {
		ReplicaSpec spec = ReplicaSpec.newBuilder()
			.setReplicaId("r1")
			.setDeployment("llama")
			.setEngine(EngineSpec.newBuilder()
				.setKind("vllm")
				.setModel("meta-llama/Llama-3-8B")
				.addArgs("--max-num-seqs=8")
				.addArgs("--stop=a,b"))
			.addGpuIds("2")
			.addGpuIds("3")
			.build();

		assertThat(this.commandLine.command(spec, new LaunchPorts(7001, 7002))).containsExactly("/jdk/bin/java",
				"-Xmx384m", "-jar", "/repo/replica-service/target/replica-service.jar",
				"--spring.grpc.server.port=7001", "--server.port=7002", "--server.address=127.0.0.1",
				"--llmserve.replica.deployment=llama", "--llmserve.replica.engine.kind=vllm",
				"--llmserve.replica.engine.model=meta-llama/Llama-3-8B",
				"--llmserve.replica.engine.args[0]=--max-num-seqs=8", "--llmserve.replica.engine.args[1]=--stop=a,b",
				"--llmserve.replica.engine.cuda-visible-devices=2,3", "--llmserve.replica.id=r1");
	}

	@Test
	void tellsARelaunchedReplicaHowOftenItWasRestartedForItsMetrics() {
		assertThat(this.commandLine.command(TestReplicas.spec("r1", "0"), new LaunchPorts(1, 2), 3))
			.contains("--llmserve.replica.id=r1", "--llmserve.replica.restarts=3");
		assertThat(this.commandLine.command(TestReplicas.spec("r1", "0"), new LaunchPorts(1, 2), 0))
			.noneMatch((argument) -> argument.startsWith("--llmserve.replica.restarts"));
	}

	@Test
	void leavesUnsetEngineSettingsToTheReplicasDefaults() {
		assertThat(this.commandLine.command(TestReplicas.spec("r1", "0"), new LaunchPorts(1, 2)))
			.contains("--llmserve.replica.engine.kind=sim", "--llmserve.replica.engine.profile=instant")
			.noneMatch((argument) -> argument.startsWith("--llmserve.replica.engine.model"))
			.noneMatch((argument) -> argument.startsWith("--llmserve.replica.engine.args"));
	}

	@Test
	void findsTheReplicaJarBesideTheWorkersOwnJar(@TempDir Path repo) throws Exception {
		Path jar = Files.createDirectories(repo.resolve("replica-service/target")).resolve("replica-service.jar");
		Files.writeString(jar, "jar");

		assertThat(ReplicaJar.resolve(null, repo.resolve("worker-agent/target"))).isEqualTo(jar);
		assertThat(ReplicaJar.resolve(null, repo.resolve("worker-agent"))).isEqualTo(jar);
	}

	@Test
	void aMissingReplicaJarStopsStartupWithWhatToDo(@TempDir Path repo) {
		assertThatIllegalStateException()
			.isThrownBy(() -> ReplicaJar.resolve(null, repo.resolve("worker-agent/target")))
			.withMessageContaining(repo.resolve("replica-service/target/replica-service.jar").toString())
			.withMessageContaining("llmserve.worker.replica-jar");
		assertThatIllegalStateException().isThrownBy(() -> ReplicaJar.resolve(repo.resolve("nope.jar"), repo))
			.withMessageContaining("llmserve.worker.replica-jar: " + repo.resolve("nope.jar"));
	}

	@Test
	void aMissingReplicaJarIsExplainedAtStartup() {
		FailureAnalysis analysis = new MissingReplicaJarFailureAnalyzer().analyze(
				new IllegalStateException(new MissingReplicaJarException(Path.of("/x/replica-service.jar"), true)));

		assertThat(analysis.getDescription()).contains("llmserve.worker.replica-jar")
			.contains("/x/replica-service.jar");
		assertThat(analysis.getAction()).contains("./mvnw -DskipTests package");
	}

	@Test
	void exitCodesAreExplainedWithTheLastOutputLines() {
		assertThat(ExitDescriptions.describe(137, List.of())).isEqualTo("exited with code 137 (killed: SIGKILL)");
		assertThat(ExitDescriptions.describe(4, List.of("1", "2", "3", "4", "5", "6")))
			.isEqualTo("exited with code 4 (its engine failed to start); last output: 2 | 3 | 4 | 5 | 6");
	}

}
