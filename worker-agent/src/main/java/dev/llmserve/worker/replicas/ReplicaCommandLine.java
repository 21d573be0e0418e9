package dev.llmserve.worker.replicas;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.llmserve.proto.EngineSpec;
import dev.llmserve.proto.ReplicaSpec;

/**
 * The command that runs one replica-service process: its ports on loopback, its
 * deployment, its engine and the GPUs it may use.
 *
 * @param java the {@code java} executable
 * @param jvmOptions options for the replica's JVM
 * @param jar the replica-service jar
 * @param httpBindAddress the address the replica's HTTP (Actuator) server binds
 */
record ReplicaCommandLine(Path java, List<String> jvmOptions, Path jar, String httpBindAddress) {

	ReplicaCommandLine {
		jvmOptions = List.copyOf(jvmOptions);
	}

	/** The {@code java} running this worker. */
	static Path currentJava() {
		return Path.of(System.getProperty("java.home"), "bin", "java");
	}

	List<String> command(ReplicaSpec spec, LaunchPorts ports) {
		return command(spec, ports, 0);
	}

	/**
	 * The command of a launch after {@code restarts} restarts: the replica reports its id
	 * and restarts in its metrics.
	 */
	List<String> command(ReplicaSpec spec, LaunchPorts ports, int restarts) {
		List<String> command = new ArrayList<>();
		command.add(this.java.toString());
		command.addAll(this.jvmOptions);
		command.add("-jar");
		command.add(this.jar.toString());
		command.add("--spring.grpc.server.port=" + ports.grpc());
		command.add("--server.port=" + ports.http());
		command.add("--server.address=" + this.httpBindAddress);
		command.add("--llmserve.replica.deployment=" + spec.getDeployment());
		command.addAll(engine(spec.getEngine()));
		command.add("--llmserve.replica.engine.cuda-visible-devices=" + String.join(",", spec.getGpuIdsList()));
		if (!spec.getReplicaId().isBlank()) {
			command.add("--llmserve.replica.id=" + spec.getReplicaId());
		}
		if (restarts > 0) {
			command.add("--llmserve.replica.restarts=" + restarts);
		}
		return command;
	}

	private static List<String> engine(EngineSpec engine) {
		List<String> arguments = new ArrayList<>();
		arguments.add("--llmserve.replica.engine.kind=" + engine.getKind());
		if (!engine.getModel().isBlank()) {
			arguments.add("--llmserve.replica.engine.model=" + engine.getModel());
		}
		if (!engine.getProfile().isBlank()) {
			arguments.add("--llmserve.replica.engine.profile=" + engine.getProfile());
		}
		// Indexed, so that an argument holding a comma stays one argument.
		for (int i = 0; i < engine.getArgsCount(); i++) {
			arguments.add("--llmserve.replica.engine.args[%d]=%s".formatted(i, engine.getArgs(i)));
		}
		return arguments;
	}

}
