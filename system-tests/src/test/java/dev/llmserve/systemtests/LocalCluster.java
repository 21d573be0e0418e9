package dev.llmserve.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmserve.process.FreePorts;

/**
 * Replicas (each with its simulator engine) and a gateway routing to them, all as real
 * processes on free loopback ports. Closing it stops every process tree it started.
 */
final class LocalCluster implements AutoCloseable {

	static final String DEPLOYMENT = "tinyllama";

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Duration STARTUP = Duration.ofSeconds(90);

	private final List<Replica> replicas = new ArrayList<>();

	private ServiceProcess gateway;

	private int gatewayPort;

	/**
	 * A replica and the ports of its gRPC server, its HTTP (Actuator) server and its
	 * engine.
	 */
	record Replica(String id, ServiceProcess service, int grpcPort, int httpPort, int enginePort) {
	}

	/**
	 * Starts {@code replicaCount} replicas on the simulator's instant profile with the
	 * given simulator arguments, and a gateway in front of them, and waits until all are
	 * ready.
	 */
	static LocalCluster start(int replicaCount, List<String> engineArgs) throws Exception {
		return start(replicaCount, engineArgs, List.of());
	}

	/** As {@link #start(int, List)}, with extra gateway arguments. */
	static LocalCluster start(int replicaCount, List<String> engineArgs, List<String> gatewayArgs) throws Exception {
		LocalCluster cluster = new LocalCluster();
		try {
			for (int i = 0; i < replicaCount; i++) {
				cluster.replicas.add(startReplica("replica-" + i, engineArgs));
			}
			for (Replica replica : cluster.replicas) {
				replica.service()
					.awaitOk(URI.create("http://127.0.0.1:" + replica.httpPort() + "/actuator/health/readiness"),
							STARTUP);
			}
			cluster.startGateway(gatewayArgs);
			return cluster;
		}
		catch (Exception | Error ex) {
			cluster.close();
			throw ex;
		}
	}

	private static Replica startReplica(String id, List<String> engineArgs) throws IOException {
		int grpcPort = FreePorts.find();
		int httpPort = FreePorts.find();
		int enginePort = FreePorts.find();
		ServiceProcess service = ServiceProcess.startJar(id, "replica-service",
				List.of("--spring.grpc.server.port=" + grpcPort, "--server.port=" + httpPort,
						"--server.address=127.0.0.1", "--llmserve.replica.deployment=" + DEPLOYMENT,
						"--llmserve.replica.engine.profile=instant", "--llmserve.replica.engine.port=" + enginePort,
						"--llmserve.replica.engine.args=" + String.join(",", engineArgs)));
		return new Replica(id, service, grpcPort, httpPort, enginePort);
	}

	private void startGateway(List<String> extraArgs) throws Exception {
		this.gatewayPort = FreePorts.find();
		String targets = this.replicas.stream()
			.map((replica) -> "127.0.0.1:" + replica.grpcPort())
			.collect(Collectors.joining(","));
		List<String> args = new ArrayList<>(List.of("--server.port=" + this.gatewayPort, "--server.address=127.0.0.1",
				"--llmserve.gateway.routing.static." + DEPLOYMENT + "=" + targets));
		args.addAll(extraArgs);
		this.gateway = ServiceProcess.startJar("gateway", "gateway-service", args);
		this.gateway.awaitOk(gatewayUri("/actuator/health/readiness"), STARTUP);
	}

	int gatewayPort() {
		return this.gatewayPort;
	}

	URI gatewayUri(String path) {
		return URI.create("http://127.0.0.1:" + this.gatewayPort + path);
	}

	ServiceProcess gateway() {
		return this.gateway;
	}

	List<Replica> replicas() {
		return List.copyOf(this.replicas);
	}

	/** The simulator's own counters ({@code GET /admin/stats}) of a replica's engine. */
	JsonNode engineStats(Replica replica) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + replica.enginePort() + "/admin/stats"))
			.timeout(Duration.ofSeconds(5))
			.GET()
			.build();
		return JSON.readTree(ServiceProcess.HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
	}

	/** The pid of the engine (simulator) process a replica started. */
	long enginePid(Replica replica) {
		return ProcessHandle.of(replica.service().process().pid())
			.orElseThrow()
			.descendants()
			.filter((handle) -> handle.info().commandLine().orElse("").contains("llmserve_sim"))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no engine process under " + replica.id()))
			.pid();
	}

	/**
	 * Processes this cluster started that are still alive: its children and their
	 * descendants, and any engine that was re-parented away from a dead replica.
	 */
	List<ProcessHandle> leftovers() {
		List<String> enginePorts = this.replicas.stream().map((replica) -> "--port " + replica.enginePort()).toList();
		List<ProcessHandle> left = new ArrayList<>(ProcessHandle.current().descendants().toList());
		ProcessHandle.allProcesses()
			.filter((handle) -> handle.info()
				.commandLine()
				.map((line) -> line.contains("llmserve_sim") && enginePorts.stream().anyMatch(line::contains))
				.orElse(false))
			.filter((handle) -> !left.contains(handle))
			.forEach(left::add);
		return left;
	}

	@Override
	public void close() {
		if (this.gateway != null) {
			this.gateway.close();
		}
		for (Replica replica : this.replicas) {
			replica.service().close();
		}
	}

}
