package dev.llmserve.controller.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.llmserve.controller.local.supervision.ChildDefinition;
import dev.llmserve.controller.local.supervision.PortPlan;

/**
 * What local mode runs: the gateway and the worker agents, their command lines, ports and
 * log files.
 */
final class ChildDefinitions {

	static final String GATEWAY = "gateway";

	static final String WORKER = "worker";

	static final String GRPC_PORT = "grpc";

	static final String WORKER_ID_PREFIX = "local-";

	private final LocalProperties properties;

	private final Path logs;

	private final Path java;

	private final JarLaunch gatewayJar;

	private final JarLaunch workerJar;

	private final Supplier<String> controller;

	/**
	 * @param controller the controller's gRPC {@code host:port}, asked when a child is
	 * started (the port may be known only once the gRPC server runs)
	 */
	ChildDefinitions(LocalProperties properties, Path dataDir, Path java, JarLaunch gatewayJar, JarLaunch workerJar,
			Supplier<String> controller) {
		this.properties = properties;
		this.logs = dataDir.resolve("logs");
		this.java = java;
		this.gatewayJar = gatewayJar;
		this.workerJar = workerJar;
		this.controller = controller;
	}

	ChildDefinition gateway() {
		int port = this.properties.gateway().port();
		PortPlan ports = (port > 0) ? PortPlan.fixed(Map.of(ChildDefinition.HTTP_PORT, port))
				: PortPlan.ephemeral(ChildDefinition.HTTP_PORT);
		return new ChildDefinition(GATEWAY, GATEWAY, this.logs.resolve("gateway.log"), ports,
				(assigned) -> gatewayCommand(assigned.get(ChildDefinition.HTTP_PORT)));
	}

	ChildDefinition worker(int index) {
		String id = workerId(index);
		return new ChildDefinition(WORKER, id, this.logs.resolve("worker-" + id + ".log"),
				workerPorts(this.properties.workers().basePort(), index),
				(assigned) -> workerCommand(id, assigned.get(GRPC_PORT), assigned.get(ChildDefinition.HTTP_PORT)));
	}

	static String workerId(int index) {
		return WORKER_ID_PREFIX + index;
	}

	/**
	 * Worker {@code i} gets {@code base + 2i} (gRPC) and {@code base + 2i + 1} (HTTP);
	 * base 0: free ones.
	 */
	static PortPlan workerPorts(int basePort, int index) {
		if (basePort == 0) {
			return PortPlan.ephemeral(GRPC_PORT, ChildDefinition.HTTP_PORT);
		}
		int grpc = basePort + 2 * index;
		return PortPlan.fixed(Map.of(GRPC_PORT, grpc, ChildDefinition.HTTP_PORT, grpc + 1));
	}

	List<String> gatewayCommand(int port) {
		List<String> command = javaCommand(this.properties.gateway().jvmOptions(), this.gatewayJar);
		command.add("--server.port=" + port);
		command.add("--llmserve.gateway.routing.controller=" + this.controller.get());
		return List.copyOf(command);
	}

	List<String> workerCommand(String id, int grpcPort, int httpPort) {
		List<String> command = javaCommand(this.properties.workers().jvmOptions(), this.workerJar);
		command.add("--llmserve.worker.id=" + id);
		command.add("--llmserve.worker.controller=" + this.controller.get());
		command.add("--llmserve.worker.gpus=" + this.properties.workers().gpus());
		command.add("--spring.grpc.server.port=" + grpcPort);
		command.add("--server.port=" + httpPort);
		return List.copyOf(command);
	}

	private List<String> javaCommand(List<String> jvmOptions, JarLaunch jar) {
		List<String> command = new ArrayList<>();
		command.add(this.java.toString());
		command.addAll(jvmOptions);
		command.addAll(jar.javaArguments());
		return command;
	}

}
