package dev.llmserve.replica.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.llmserve.process.ProcessSpec;
import dev.llmserve.replica.ReplicaProperties;

/** Builds the engine's command line and environment, for each kind of engine. */
final class EngineCommandLine {

	static final String PROCESS_NAME = "engine";

	private final ReplicaProperties properties;

	EngineCommandLine(ReplicaProperties properties) {
		this.properties = properties;
	}

	/**
	 * {@code python3 llmserve_sim.py --host … --port P --model NAME --profile … <args> --parent-pid PID}.
	 */
	ProcessSpec simulator(Path script, EngineEndpoint endpoint, long parentPid) {
		ReplicaProperties.Engine engine = this.properties.engine();
		List<String> command = new ArrayList<>(List.of(engine.python(), script.toString()));
		addListenAddress(command, endpoint);
		command.addAll(List.of("--model", this.properties.servedModelName(), "--profile", engine.profile()));
		command.addAll(engine.args());
		command.addAll(List.of("--parent-pid", Long.toString(parentPid)));
		return ProcessSpec.of(PROCESS_NAME, command)
			.withEnvironment(pythonEnvironment())
			.withWorkingDirectory(script.toAbsolutePath().getParent());
	}

	/** {@code vllm serve MODEL --host … --port P --served-model-name NAME <args>}. */
	ProcessSpec vllm(EngineEndpoint endpoint) {
		ReplicaProperties.Engine engine = this.properties.engine();
		// The command may be a wrapper with its own arguments, e.g. "uv run vllm".
		List<String> command = new ArrayList<>(List.of(engine.vllmCommand().trim().split("\\s+")));
		command.addAll(List.of("serve", engine.model()));
		addListenAddress(command, endpoint);
		command.addAll(List.of("--served-model-name", this.properties.servedModelName()));
		command.addAll(engine.args());
		Map<String, String> environment = new HashMap<>(pythonEnvironment());
		if (engine.cudaVisibleDevices() != null) {
			environment.put("CUDA_VISIBLE_DEVICES", engine.cudaVisibleDevices());
		}
		return ProcessSpec.of(PROCESS_NAME, command).withEnvironment(environment);
	}

	private static void addListenAddress(List<String> command, EngineEndpoint endpoint) {
		command.addAll(List.of("--host", endpoint.host(), "--port", Integer.toString(endpoint.port())));
	}

	private static Map<String, String> pythonEnvironment() {
		// Unbuffered, so the engine's log lines reach ours as they are printed.
		return Map.of("PYTHONUNBUFFERED", "1");
	}

}
