package dev.llmserve.replica.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.llmserve.process.ProcessSpec;
import dev.llmserve.replica.ReplicaProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EngineCommandLineTests {

	private static final EngineEndpoint ENDPOINT = EngineEndpoint.loopback(18123);

	@Test
	void simulatorRunsTheScriptOnLoopbackWithServedNameProfileArgsAndParentPid() {
		ReplicaProperties properties = properties("chat-small",
				engine(EngineKind.SIM, null, List.of("--max-num-seqs", "8", "--fixed-itl-ms", "5"), null));

		ProcessSpec spec = new EngineCommandLine(properties).simulator(Path.of("/opt/sim/llmserve_sim.py"), ENDPOINT,
				4242);

		assertThat(spec.command()).containsExactly("python3", "/opt/sim/llmserve_sim.py", "--host", "127.0.0.1",
				"--port", "18123", "--model", "chat-small", "--profile", "instant", "--max-num-seqs", "8",
				"--fixed-itl-ms", "5", "--parent-pid", "4242");
		assertThat(spec.workingDirectory()).isEqualTo(Path.of("/opt/sim"));
		assertThat(spec.environment()).containsEntry("PYTHONUNBUFFERED", "1");
		assertThat(spec.watchParent()).isTrue();
	}

	@Test
	void simulatorUsesTheConfiguredServedModelNameOverTheDeployment() {
		ReplicaProperties properties = properties("chat-small", engine(EngineKind.SIM, "tiny", List.of(), null));

		ProcessSpec spec = new EngineCommandLine(properties).simulator(Path.of("sim.py"), ENDPOINT, 1);

		assertThat(spec.command()).containsSequence("--model", "tiny");
	}

	@Test
	void vllmServesTheModelPositionallyUnderTheServedNameWithEngineArgs() {
		ReplicaProperties properties = properties("llama",
				engine(EngineKind.VLLM, null, List.of("--max-model-len", "4096", "--enforce-eager"), "2,3"));

		ProcessSpec spec = new EngineCommandLine(properties).vllm(ENDPOINT);

		assertThat(spec.command()).containsExactly("vllm", "serve", "meta-llama/Meta-Llama-3-8B-Instruct", "--host",
				"127.0.0.1", "--port", "18123", "--served-model-name", "llama", "--max-model-len", "4096",
				"--enforce-eager");
		assertThat(spec.environment()).containsEntry("CUDA_VISIBLE_DEVICES", "2,3")
			.containsEntry("PYTHONUNBUFFERED", "1");
	}

	@Test
	void vllmInheritsTheGpusWhenNoneAreConfigured() {
		ReplicaProperties properties = properties("llama", engine(EngineKind.VLLM, null, List.of(), null));

		ProcessSpec spec = new EngineCommandLine(properties).vllm(ENDPOINT);

		assertThat(spec.environment()).doesNotContainKey("CUDA_VISIBLE_DEVICES");
	}

	@Test
	void vllmCommandMayBeAWrapperWithItsOwnArguments() {
		ReplicaProperties.Engine engine = new ReplicaProperties.Engine(EngineKind.VLLM, "m", null, "instant", List.of(),
				"python3", null, "uv run vllm", null, null, 0, Duration.ofMillis(250), Duration.ofSeconds(1));

		ProcessSpec spec = new EngineCommandLine(properties("d", engine)).vllm(ENDPOINT);

		assertThat(spec.command()).startsWith("uv", "run", "vllm", "serve", "m");
	}

	@Test
	void startupTimeoutDefaultsByEngineKind() {
		assertThat(engine(EngineKind.SIM, null, List.of(), null).startupTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(engine(EngineKind.VLLM, null, List.of(), null).startupTimeout()).isEqualTo(Duration.ofMinutes(20));
	}

	private static ReplicaProperties.Engine engine(EngineKind kind, String servedName, List<String> args, String gpus) {
		return new ReplicaProperties.Engine(kind, "meta-llama/Meta-Llama-3-8B-Instruct", servedName, "instant", args,
				"python3", null, "vllm", gpus, null, 0, Duration.ofMillis(250), Duration.ofSeconds(1));
	}

	private static ReplicaProperties properties(String deployment, ReplicaProperties.Engine engine) {
		return new ReplicaProperties(deployment, engine, null, null, null, 0);
	}

}
