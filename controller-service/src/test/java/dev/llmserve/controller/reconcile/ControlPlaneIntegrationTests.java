package dev.llmserve.controller.reconcile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.llmserve.proto.DeploymentRoutes;
import dev.llmserve.proto.ReactorRoutingGrpc;
import dev.llmserve.proto.ReplicaRoute;
import dev.llmserve.proto.ReplicaState;
import dev.llmserve.proto.RoutingSnapshot;
import dev.llmserve.proto.StartReplicaRequest;
import dev.llmserve.proto.StopReplicaRequest;
import dev.llmserve.proto.WatchRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * The controller with fake worker agents over real gRPC: workers register and heartbeat,
 * the reconciler places a deployment on them, a gateway watching the routing snapshots
 * sees its replicas once they are READY, loses those of a worker that dies, and sees a
 * replica DRAINING before it is stopped.
 */
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.grpc.server.port=0", "llmserve.controller.seed-deployments=false",
				"llmserve.controller.local.enabled=false", "llmserve.controller.cluster.heartbeat-interval=200ms",
				"llmserve.controller.cluster.startup-grace=300ms", "llmserve.controller.cluster.probe-timeout=500ms",
				"llmserve.controller.reconcile.interval=200ms",
				"llmserve.controller.reconcile.drain-propagation-delay=300ms" })
class ControlPlaneIntegrationTests {

	private static final Duration HEARTBEAT = Duration.ofMillis(200);

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final AtomicInteger grpcPort = new AtomicInteger();

	@TempDir
	static Path dataDir;

	@Autowired
	private WebTestClient http;

	private final List<RoutingSnapshot> snapshots = new CopyOnWriteArrayList<>();

	private ManagedChannel gatewayChannel;

	private Disposable watch;

	private FakeWorkerAgent w1;

	private FakeWorkerAgent w2;

	@DynamicPropertySource
	static void dataDir(DynamicPropertyRegistry registry) {
		registry.add("llmserve.controller.data-dir", () -> dataDir.toString());
	}

	@AfterEach
	void stop() {
		if (this.watch != null) {
			this.watch.dispose();
			this.gatewayChannel.shutdownNow();
		}
		if (this.w1 != null) {
			this.w1.close();
			this.w2.close();
		}
	}

	@Test
	void placesReplicasOnWorkersRoutesThemWhenReadyAndForgetsThoseOfADeadWorker() throws Exception {
		this.w1 = FakeWorkerAgent.start("w1", grpcPort.get(), HEARTBEAT, "0");
		this.w2 = FakeWorkerAgent.start("w2", grpcPort.get(), HEARTBEAT, "0");
		watch();
		await().atMost(WAIT).until(() -> !this.snapshots.isEmpty());

		createDeployment("chat", 2);
		await().atMost(WAIT).until(() -> this.w1.starts.size() == 1 && this.w2.starts.size() == 1);
		StartReplicaRequest onW1 = this.w1.starts.get(0);
		StartReplicaRequest onW2 = this.w2.starts.get(0);
		assertThat(onW1.getSpec().getReplicaId()).startsWith("chat-");
		assertThat(onW1.getSpec().getGpuIdsList()).containsExactly("0");
		assertThat(onW1.getSpec().getEngine().getProfile()).isEqualTo("instant");

		this.w1.markReady(onW1.getSpec().getReplicaId(), "127.0.0.1:5001");
		this.w2.markReady(onW2.getSpec().getReplicaId(), "127.0.0.1:5002");
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(routes("chat"))
				.extracting(ReplicaRoute::getAddress, ReplicaRoute::getWorkerId, ReplicaRoute::getState)
				.containsExactlyInAnyOrder(Tuple.tuple("127.0.0.1:5001", "w1", ReplicaState.REPLICA_READY),
						Tuple.tuple("127.0.0.1:5002", "w2", ReplicaState.REPLICA_READY)));
		assertThat(latest().getDeployments(0).getMaxConcurrentPerReplica()).isEqualTo(64);
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(metric("llmserve_controller_replicas{", "state=\"ready\"")).isEqualTo(2));
		assertThat(metric("llmserve_controller_workers{", "state=\"live\"")).isEqualTo(2);
		assertThat(metric("llmserve_controller_deployments{")).isEqualTo(1);
		assertThat(metric("llmserve_controller_reconcile_actions_total{", "action=\"start\"")).isEqualTo(2);
		assertThat(metric("llmserve_controller_routing_publish_delay_seconds_count{")).isPositive();
		assertThat(undocumentedMetrics()).as("missing from docs/metrics.md").isEmpty();

		this.w2.kill();
		await().atMost(WAIT)
			.untilAsserted(
					() -> assertThat(routes("chat")).extracting(ReplicaRoute::getWorkerId).containsExactly("w1"));
		assertThat(metric("llmserve_controller_replicas{", "state=\"ready\"")).isEqualTo(1);
		assertThat(metric("llmserve_controller_workers{", "state=\"live\"")).isEqualTo(1);
		await().atMost(WAIT)
			.untilAsserted(() -> this.http.get()
				.uri("/api/v1/deployments/chat")
				.exchange()
				.expectBody()
				.jsonPath("$.message")
				.value(containsString("1 of 2 replica(s) cannot be placed"))
				.jsonPath("$.replicas[0].state")
				.isEqualTo("READY")
				.jsonPath("$.replicas[0].workerId")
				.isEqualTo("w1"));

		scale("chat", 0);
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(routes("chat")).extracting(ReplicaRoute::getState)
				.containsExactly(ReplicaState.REPLICA_DRAINING));
		assertThat(this.w1.stops).as("not stopped before gateways saw it draining").isEmpty();
		await().atMost(WAIT).until(() -> !this.w1.stops.isEmpty());
		assertThat(this.w1.stops)
			.extracting(StopReplicaRequest::getReplicaId, StopReplicaRequest::getDrainTimeoutMillis)
			.containsExactly(Tuple.tuple(onW1.getSpec().getReplicaId(), 30_000L));
		assertThat(metric("llmserve_controller_reconcile_actions_total{", "action=\"drain\"")).isEqualTo(1);
		assertThat(metric("llmserve_controller_reconcile_actions_total{", "action=\"stop\"")).isEqualTo(1);
		assertThat(this.snapshots).extracting(RoutingSnapshot::getVersion).isSorted().doesNotHaveDuplicates();
	}

	private List<String> undocumentedMetrics() throws IOException {
		String catalog = Files.readString(Path.of("..", "docs", "metrics.md"));
		return scrape().lines()
			.filter((line) -> line.startsWith("# TYPE llmserve_"))
			.map((line) -> line.split(" ")[2].replaceFirst("_max$", ""))
			.distinct()
			.filter((name) -> !catalog.contains("`" + name + "`"))
			.toList();
	}

	/**
	 * The sum of the scraped series that start with {@code series} and hold every label.
	 */
	private double metric(String series, String... labels) {
		return scrape().lines()
			.filter((line) -> line.startsWith(series) && Arrays.stream(labels).allMatch(line::contains))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

	private String scrape() {
		return this.http.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private void watch() {
		this.gatewayChannel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort.get()).usePlaintext().build();
		this.watch = ReactorRoutingGrpc.newReactorStub(this.gatewayChannel)
			.watch(WatchRequest.newBuilder().setGatewayId("test-gateway").build())
			.subscribe(this.snapshots::add);
	}

	private RoutingSnapshot latest() {
		return this.snapshots.get(this.snapshots.size() - 1);
	}

	private List<ReplicaRoute> routes(String deployment) {
		return latest().getDeploymentsList()
			.stream()
			.filter((routes) -> routes.getName().equals(deployment))
			.findFirst()
			.map(DeploymentRoutes::getReplicasList)
			.orElse(List.of());
	}

	private void createDeployment(String name, int replicas) {
		this.http.post()
			.uri("/api/v1/deployments")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("""
					{"name":"%s","model":"TinyLlama/TinyLlama-1.1B-Chat-v1.0",
					 "engine":{"kind":"sim","profile":"instant"},"replicas":%d,"maxConcurrentPerReplica":64}"""
				.formatted(name, replicas))
			.exchange()
			.expectStatus()
			.isCreated();
	}

	private void scale(String name, int replicas) {
		this.http.put()
			.uri("/api/v1/deployments/" + name + "/replicas")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"replicas\":" + replicas + "}")
			.exchange()
			.expectStatus()
			.isOk();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class GrpcPort {

		@Bean
		ApplicationListener<GrpcServerStartedEvent> grpcPortListener() {
			return (event) -> grpcPort.set(event.getPort());
		}

	}

}
