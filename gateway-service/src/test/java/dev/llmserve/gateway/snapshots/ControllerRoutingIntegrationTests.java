package dev.llmserve.gateway.snapshots;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.llmserve.gateway.routing.Replica;
import dev.llmserve.gateway.routing.RoutingTableSource;
import dev.llmserve.gateway.support.FakeController;
import dev.llmserve.gateway.support.FakeReplica;
import dev.llmserve.proto.DeploymentRoutes;
import dev.llmserve.proto.ReplicaRoute;
import dev.llmserve.proto.ReplicaState;
import dev.llmserve.proto.RoutingSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway routing on snapshots from a fake controller, to fake replicas {@link #A}
 * and {@link #B} of {@code tinyllama}. The first test runs first because it is about the
 * gateway before any snapshot; every other test publishes the table it needs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext
class ControllerRoutingIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String CHAT = "{\"model\":\"%s\",\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

	private static final FakeController CONTROLLER = FakeController.onFreePort();

	private static final FakeReplica A = FakeReplica.onFreePort();

	private static final FakeReplica B = FakeReplica.onFreePort();

	private static final AtomicLong VERSION = new AtomicLong(100);

	@Autowired
	private WebTestClient webTestClient;

	@Autowired
	private RoutingTableSource source;

	@Autowired
	private MeterRegistry meters;

	@LocalServerPort
	private int port;

	private final List<Disposable> streams = new ArrayList<>();

	@DynamicPropertySource
	static void watchTheFakeController(DynamicPropertyRegistry registry) {
		registry.add("llmserve.gateway.routing.controller", CONTROLLER::address);
		registry.add("llmserve.gateway.routing.watch.max-backoff", () -> "500ms");
		// Static routes, these and application.yml's defaults, must never be used.
		registry.add("llmserve.gateway.routing.static.solo", () -> "127.0.0.1:" + A.port());
	}

	@BeforeEach
	void reset() {
		this.streams.forEach(Disposable::dispose);
		A.reset();
		B.reset();
		CONTROLLER.start();
	}

	@AfterAll
	static void close() {
		CONTROLLER.close();
		A.close();
		B.close();
	}

	@Test
	@Order(1)
	void routesToReplicasOnlyAfterTheFirstSnapshot() {
		client().get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503);
		client().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		client().get().uri("/v1/models").exchange().expectBody().jsonPath("$.data").isEmpty();
		chat("tinyllama").expectStatus().isEqualTo(503).expectHeader().exists("Retry-After");
		chat("solo").expectStatus().isEqualTo(503);
		assertThat(A.requests()).isEmpty();
		await().atMost(TIMEOUT).until(() -> !CONTROLLER.requests().isEmpty());
		assertThat(CONTROLLER.requests().get(0).getGatewayId()).startsWith("gateway-");

		publish(ready("a", A));
		await().atMost(TIMEOUT).until(this.source::isReady);
		client().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
		chat("tinyllama").expectStatus().isOk();
		assertThat(A.requests()).hasSize(1);
		chat("solo").expectStatus().isNotFound();
		client().get()
			.uri("/v1/models")
			.exchange()
			.expectBody()
			.jsonPath("$.data[*].id")
			.value((ids) -> assertThat(ids).asList().containsExactly("tinyllama"));
		assertThat(this.source.current().allReplicas()).extracting(Replica::port).containsExactly(A.port());
	}

	@Test
	void spreadsRequestsToAReplicaThatANewSnapshotAdds() {
		A.behave((request) -> Flux.just(FakeReplica.token("Hel")).concatWith(Flux.never()));
		B.behave((request) -> Flux.just(FakeReplica.token("Hel")).concatWith(Flux.never()));
		publishAndAwait(ready("a", A));
		openStream();
		openStream();
		publishAndAwait(ready("a", A), ready("b", B));
		openStream();
		openStream();
		assertThat(A.requests()).hasSize(2);
		assertThat(B.requests()).hasSize(2);
		closeStreams();
	}

	@Test
	void sendsNoNewRequestsToADrainingReplica() {
		publishAndAwait(ready("a", A), route("b", B, ReplicaState.REPLICA_DRAINING));
		for (int i = 0; i < 6; i++) {
			chat("tinyllama").expectStatus().isOk();
		}
		assertThat(A.requests()).hasSize(6);
		assertThat(B.requests()).isEmpty();
	}

	@Test
	void letsAStreamFinishWhileItsReplicaDrainsAndLeavesTheTable() {
		Sinks.Empty<Void> gate = Sinks.empty();
		B.behave((request) -> Flux.just(FakeReplica.token("Hel"))
			.concatWith(gate.asMono().thenMany(FakeReplica.tokens("lo"))));
		publishAndAwait(ready("b", B));
		List<String> events = new CopyOnWriteArrayList<>();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		AtomicBoolean completed = new AtomicBoolean();
		webClient().post()
			.uri("/v1/chat/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(CHAT.formatted("tinyllama", true))
			.retrieve()
			.bodyToFlux(String.class)
			.subscribe(events::add, failure::set, () -> completed.set(true));
		await().atMost(TIMEOUT).until(() -> events.stream().anyMatch((event) -> event.contains("Hel")));
		publishAndAwait(ready("a", A), route("b", B, ReplicaState.REPLICA_DRAINING));
		publishAndAwait(ready("a", A));
		gate.tryEmitEmpty();
		await().atMost(TIMEOUT).untilTrue(completed);
		assertThat(failure.get()).isNull();
		assertThat(String.join("", events)).contains("\"content\":\"lo\"").doesNotContain("error");
		assertThat(events).last().isEqualTo("[DONE]");
	}

	@Test
	void keepsServingFromTheLastSnapshotWhileTheControllerIsDown() {
		publishAndAwait(ready("a", A));
		CONTROLLER.stop();
		await().atMost(TIMEOUT).until(() -> gauge("llmserve.gateway.controller.connected") == 0);
		chat("tinyllama").expectStatus().isOk();
		assertThat(A.requests()).hasSize(1);
		client().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
	}

	@Test
	void reconnectsAndAppliesTheSnapshotOfARestartedController() {
		publishAndAwait(ready("a", A));
		CONTROLLER.stop();
		await().atMost(TIMEOUT).until(() -> gauge("llmserve.gateway.controller.connected") == 0);
		CONTROLLER.start();
		CONTROLLER.publish(snapshot(1, ready("b", B)));
		await().atMost(Duration.ofSeconds(3)).until(() -> replicaIds().equals(List.of("b")));
		chat("tinyllama").expectStatus().isOk();
		assertThat(B.requests()).hasSize(1);
		assertThat(A.requests()).isEmpty();
		String scrape = client().get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(scrape).containsPattern("llmserve_gateway_controller_connected\\{[^}]*} 1\\.0")
			.containsPattern("llmserve_gateway_routing_snapshot_version\\{[^}]*} 1\\.0")
			.containsPattern("llmserve_gateway_routing_snapshots_total\\{[^}]*outcome=\"applied\"[^}]*}")
			.contains("llmserve_gateway_controller_disconnects_total{");
	}

	private WebTestClient client() {
		return this.webTestClient.mutate().responseTimeout(TIMEOUT).build();
	}

	private WebClient webClient() {
		return WebClient.create("http://127.0.0.1:" + this.port);
	}

	private WebTestClient.ResponseSpec chat(String model) {
		return client().post()
			.uri("/v1/chat/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(CHAT.formatted(model, false))
			.exchange();
	}

	/** A streaming request held open by its replica, once its first token has arrived. */
	private void openStream() {
		AtomicBoolean started = new AtomicBoolean();
		this.streams.add(webClient().post()
			.uri("/v1/chat/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(CHAT.formatted("tinyllama", true))
			.retrieve()
			.bodyToFlux(String.class)
			.subscribe((event) -> started.set(event.contains("Hel"))));
		await().atMost(TIMEOUT).untilTrue(started);
	}

	private void closeStreams() {
		int open = this.streams.size();
		this.streams.forEach(Disposable::dispose);
		this.streams.clear();
		await().atMost(TIMEOUT).until(() -> A.cancellations() + B.cancellations() == open);
	}

	private void publish(ReplicaRoute... replicas) {
		CONTROLLER.publish(snapshot(VERSION.incrementAndGet(), replicas));
	}

	private void publishAndAwait(ReplicaRoute... replicas) {
		RoutingSnapshot snapshot = snapshot(VERSION.incrementAndGet(), replicas);
		CONTROLLER.publish(snapshot);
		await().atMost(TIMEOUT).until(() -> this.source.current().version() == snapshot.getVersion());
	}

	private List<String> replicaIds() {
		return this.source.current().replicas("tinyllama").stream().map(Replica::id).toList();
	}

	private double gauge(String name) {
		return this.meters.get(name).gauge().value();
	}

	private static RoutingSnapshot snapshot(long version, ReplicaRoute... replicas) {
		return RoutingSnapshot.newBuilder()
			.setControllerId(CONTROLLER.runId())
			.setVersion(version)
			.addDeployments(DeploymentRoutes.newBuilder().setName("tinyllama").addAllReplicas(List.of(replicas)))
			.build();
	}

	private static ReplicaRoute ready(String id, FakeReplica replica) {
		return route(id, replica, ReplicaState.REPLICA_READY);
	}

	private static ReplicaRoute route(String id, FakeReplica replica, ReplicaState state) {
		return ReplicaRoute.newBuilder()
			.setId(id)
			.setAddress("127.0.0.1:" + replica.port())
			.setState(state)
			.setWorkerId("worker-1")
			.build();
	}

}
