package dev.llmserve.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmserve.process.FreePorts;
import dev.llmserve.process.ProcessTrees;
import org.awaitility.Awaitility;

/**
 * The whole local cluster as a user starts it: one controller process, which starts the
 * gateway and the worker agents, which start the replicas and their engines. Closing it
 * stops the controller (which stops everything it supervises) and then anything still
 * left.
 */
final class ControlPlane implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Duration STARTUP = Duration.ofSeconds(120);

	private final Path dataDir;

	private final int adminPort = FreePorts.find();

	private final int grpcPort = FreePorts.find();

	private final int gatewayPort = FreePorts.find();

	private final List<String> extraArguments;

	private ServiceProcess controller;

	private ControlPlane(Path dataDir, List<String> extraArguments) {
		this.dataDir = dataDir;
		this.extraArguments = List.copyOf(extraArguments);
	}

	/**
	 * Starts a controller with no deployments and two local workers of two GPU slots
	 * each.
	 */
	static ControlPlane start(Path dataDir, String... extraArguments) throws Exception {
		ControlPlane cluster = new ControlPlane(dataDir, List.of(extraArguments));
		try {
			cluster.startController();
			cluster.awaitGatewayReady();
			return cluster;
		}
		catch (Exception | Error ex) {
			cluster.close();
			throw ex;
		}
	}

	/**
	 * Starts the controller process again (after it was killed), on the same ports and
	 * data.
	 */
	void startController() throws Exception {
		List<String> arguments = new ArrayList<>(List.of("--server.port=" + this.adminPort,
				"--server.address=127.0.0.1", "--spring.grpc.server.port=" + this.grpcPort,
				"--llmserve.controller.data-dir=" + this.dataDir, "--llmserve.controller.seed-deployments=false",
				"--llmserve.controller.local.gateway.port=" + this.gatewayPort,
				"--llmserve.controller.local.workers.count=2", "--llmserve.controller.local.workers.base-port=0"));
		arguments.addAll(this.extraArguments);
		this.controller = ServiceProcess.startJar("controller", "controller-service", arguments);
		this.controller.awaitOk(adminUri("/actuator/health/readiness"), STARTUP);
	}

	void awaitGatewayReady() throws Exception {
		Http.awaitOk(gatewayUri("/actuator/health/readiness"), STARTUP);
	}

	ServiceProcess controller() {
		return this.controller;
	}

	int gatewayPort() {
		return this.gatewayPort;
	}

	URI gatewayUri(String path) {
		return URI.create("http://127.0.0.1:" + this.gatewayPort + path);
	}

	URI adminUri(String path) {
		return URI.create("http://127.0.0.1:" + this.adminPort + path);
	}

	/** Sends a request to the admin API and returns status and parsed body. */
	Http.Response admin(String method, String path, String json) throws IOException, InterruptedException {
		return Http.send(method, adminUri(path), json);
	}

	/**
	 * Creates a simulator deployment through the admin API and waits for its replicas.
	 */
	void deployAndAwaitReady(String name, int replicas) throws IOException, InterruptedException {
		Http.Response created = admin("POST", "/api/v1/deployments", deploymentJson(name, replicas));
		if (created.status() != 201) {
			throw new IllegalStateException("create " + name + ": " + created.status() + " " + created.body());
		}
		Awaitility.await()
			.atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> readyReplicas(name).size() == replicas);
		// READY in the admin API comes a moment before the snapshot that routes to the
		// replicas reaches the gateway.
		String probe = "{\"model\":\"" + name + "\",\"prompt\":\"Hi\",\"max_tokens\":1,\"stream\":true}";
		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> Streams.failureOf(gatewayPort(), "/v1/completions", probe) == null);
	}

	JsonNode deployment(String name) throws IOException, InterruptedException {
		return admin("GET", "/api/v1/deployments/" + name, null).json();
	}

	/** The deployment's replicas in state READY, by id. */
	List<String> readyReplicas(String name) throws IOException, InterruptedException {
		List<String> ready = new ArrayList<>();
		for (JsonNode replica : deployment(name).path("replicas")) {
			if (replica.path("state").asText().endsWith("READY")) {
				ready.add(replica.path("id").asText());
			}
		}
		return ready;
	}

	/**
	 * Every process this cluster started, found by the controller port on their command
	 * lines.
	 */
	List<ProcessHandle> processes() {
		String marker = ":" + this.grpcPort;
		List<ProcessHandle> found = new ArrayList<>();
		ProcessHandle.allProcesses()
			.filter((handle) -> handle.info().commandLine().orElse("").contains(marker)
					|| handle.info().commandLine().orElse("").contains(this.dataDir.toString()))
			.forEach((handle) -> {
				found.add(handle);
				handle.descendants().forEach(found::add);
			});
		// A process matches by its own marks and again as a descendant of another match.
		return found.stream().distinct().toList();
	}

	/**
	 * The process of the given role (gateway, worker-agent, replica-service) whose
	 * command line matches.
	 */
	ProcessHandle process(String jarName, String contains) {
		return this.processes().stream().filter((handle) -> {
			String line = handle.info().commandLine().orElse("");
			return line.contains(jarName + ".jar") && line.contains(contains);
		}).findFirst().orElseThrow(() -> new IllegalStateException("no " + jarName + " process with " + contains));
	}

	/**
	 * Processes left alive: descendants of the test JVM and anything bearing this
	 * cluster's marks.
	 */
	List<ProcessHandle> leftovers() {
		List<ProcessHandle> left = new ArrayList<>(ProcessHandle.current().descendants().toList());
		processes().stream().filter(ProcessHandle::isAlive).filter((h) -> !left.contains(h)).forEach(left::add);
		return left;
	}

	@Override
	public void close() {
		if (this.controller != null) {
			this.controller.close();
		}
		// Whatever survived (e.g. adopted children of a controller that was killed): stop
		// it too.
		for (ProcessHandle handle : processes()) {
			ProcessTrees.stop(handle, Duration.ofSeconds(5));
		}
	}

	static String deploymentJson(String name, int replicas) {
		return """
				{"name":"%s","model":"TinyLlama/TinyLlama-1.1B-Chat-v1.0",
				 "engine":{"kind":"sim","profile":"instant","args":["--fixed-itl-ms","10"]},
				 "gpusPerReplica":1,"replicas":%d,"maxConcurrentPerReplica":64}""".formatted(name, replicas);
	}

	static JsonNode parse(String json) throws IOException {
		return JSON.readTree(json);
	}

}
