package dev.llmserve.gateway.admission;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.llmserve.gateway.support.FakeReplica;
import dev.llmserve.gateway.support.GatewayIntegrationTest;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Admission control through real HTTP: {@code narrow} and {@code brief} route to the
 * {@link #SOLO} replica with one slot and a queue of one; {@code brief} lets a request
 * wait 300 ms, {@code narrow} 30 s.
 */
class AdmissionIntegrationTests extends GatewayIntegrationTest {

	private static final String CHAT_STREAM = "{\"model\":\"%s\",\"stream\":true,"
			+ "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

	private static final String COMPLETION = "{\"model\":\"%s\",\"prompt\":\"Once\"}";

	@Autowired
	private MeterRegistry registry;

	/** Holds every generation on SOLO open after its first token until it is opened. */
	private final Sinks.Empty<Void> gate = Sinks.empty();

	private final List<Disposable> streams = new CopyOnWriteArrayList<>();

	@DynamicPropertySource
	static void narrowDeployments(DynamicPropertyRegistry registry) {
		for (String deployment : List.of("narrow", "brief")) {
			registry.add("llmserve.gateway.routing.static." + deployment, () -> "127.0.0.1:" + SOLO.port());
			registry.add("llmserve.gateway.admission.deployments." + deployment + ".max-concurrent-per-replica",
					() -> "1");
			registry.add("llmserve.gateway.admission.deployments." + deployment + ".queue-factor", () -> "1");
		}
		registry.add("llmserve.gateway.admission.deployments.narrow.max-wait", () -> "30s");
		registry.add("llmserve.gateway.admission.deployments.brief.max-wait", () -> "300ms");
	}

	@BeforeEach
	void holdGenerationsOpen() {
		SOLO.behave((request) -> Flux.just(FakeReplica.token("a"))
			.concatWith(this.gate.asMono().thenMany(FakeReplica.tokens("b"))));
	}

	@AfterEach
	void letEverythingFinish() {
		this.gate.tryEmitEmpty();
		this.streams.forEach(Disposable::dispose);
		await().atMost(TIMEOUT).untilAsserted(() -> {
			assertThat(gauge("llmserve.gateway.admission.permits.in.use", "narrow")).isZero();
			assertThat(gauge("llmserve.gateway.admission.permits.in.use", "brief")).isZero();
			assertThat(gauge("llmserve.gateway.admission.queue.depth", "narrow")).isZero();
		});
	}

	@Test
	void answers503WithRetryAfterOnEveryEndpointWhenTheQueueIsFullWithoutCallingTheReplica() throws Exception {
		holdTheOnlySlot("narrow");
		CompletableFuture<ResponseEntity<String>> queued = webClient().post()
			.uri("/v1/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(COMPLETION.formatted("narrow"))
			.retrieve()
			.toEntity(String.class)
			.toFuture();
		await().atMost(TIMEOUT).until(() -> gauge("llmserve.gateway.admission.queue.depth", "narrow") == 1);
		String expected = "{\"error\":{\"message\":\"The model `narrow` is overloaded: all 1 of its slots are busy "
				+ "and its queue of 1 is full (retry after 1s)\",\"type\":\"ServiceUnavailableError\","
				+ "\"param\":null,\"code\":503}}";

		expectOverloaded(post("/v1/chat/completions", MediaType.APPLICATION_JSON, CHAT_STREAM.formatted("narrow")),
				expected);
		expectOverloaded(post("/v1/completions", MediaType.APPLICATION_JSON, COMPLETION.formatted("narrow")), expected);
		expectOverloaded(post("/v1/chat/narrow", MediaType.TEXT_PLAIN, "Hi"), expected);
		assertThat(SOLO.requests()).as("only the admitted request reached the replica").hasSize(1);
		assertThat(counter("llmserve.gateway.admission.rejected", "narrow", "queue_full")).isEqualTo(3);

		this.gate.tryEmitEmpty();
		ResponseEntity<String> answer = queued.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		assertThat(answer.getStatusCode().value()).isEqualTo(200);
		assertThat(answer.getBody()).contains("\"text\":\"ab\"");
		assertThat(scrape()).contains("llmserve_gateway_admission_queue_depth{")
			.contains("llmserve_gateway_admission_queue_wait_seconds_bucket{")
			.contains("llmserve_gateway_admission_rejected_total{")
			.contains("reason=\"queue_full\"");
	}

	@Test
	void answers503WhenTheWaitInTheQueueTimesOut() {
		holdTheOnlySlot("brief");

		expectOverloaded(post("/v1/chat/brief", MediaType.TEXT_PLAIN, "Hi"),
				"{\"error\":{\"message\":\"The model `brief` is overloaded: no slot came free within 300ms "
						+ "(retry after 1s)\",\"type\":\"ServiceUnavailableError\",\"param\":null,\"code\":503}}");
		assertThat(counter("llmserve.gateway.admission.rejected", "brief", "wait_timeout")).isEqualTo(1);
	}

	@Test
	void aClientThatGoesAwayWhileQueuedLeavesTheQueueAtOnce() {
		holdTheOnlySlot("narrow");
		double abandonedBefore = counter("llmserve.gateway.admission.abandoned", "narrow", null);
		Disposable queued = webClient().post()
			.uri("/v1/chat/narrow")
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("Hi")
			.retrieve()
			.toEntity(String.class)
			.subscribe();
		await().atMost(TIMEOUT).until(() -> gauge("llmserve.gateway.admission.queue.depth", "narrow") == 1);

		queued.dispose();

		await().atMost(TIMEOUT).until(() -> gauge("llmserve.gateway.admission.queue.depth", "narrow") == 0);
		assertThat(counter("llmserve.gateway.admission.abandoned", "narrow", null)).isEqualTo(abandonedBefore + 1);
		this.gate.tryEmitEmpty();
		post("/v1/chat/narrow", MediaType.TEXT_PLAIN, "Hi").expectStatus().isOk();
		assertThat(SOLO.requests()).as("the request that left never reached the replica").hasSize(2);
	}

	@Test
	void aStreamItsClientCancelsGivesItsPermitBack() {
		Disposable stream = holdTheOnlySlot("narrow");
		assertThat(gauge("llmserve.gateway.admission.permits.in.use", "narrow")).isEqualTo(1);

		stream.dispose();

		await().atMost(TIMEOUT).until(() -> gauge("llmserve.gateway.admission.permits.in.use", "narrow") == 0);
		await().atMost(TIMEOUT).until(() -> SOLO.cancellations() == 1);
		SOLO.behave((request) -> FakeReplica.tokens("free"));
		post("/v1/chat/narrow", MediaType.TEXT_PLAIN, "Hi").expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("free");
	}

	@Test
	void aStreamThatFailsGivesItsPermitBack() {
		SOLO.behave((request) -> Flux.just(FakeReplica.token("a"))
			.concatWith(this.gate.asMono()
				.then(Mono.error(Status.INTERNAL.withDescription("engine crashed").asRuntimeException()))));
		holdTheOnlySlot("narrow");

		this.gate.tryEmitEmpty();

		await().atMost(TIMEOUT).until(() -> gauge("llmserve.gateway.admission.permits.in.use", "narrow") == 0);
	}

	/**
	 * Streams a chat completion that takes the deployment's one slot until the gate
	 * opens.
	 */
	private Disposable holdTheOnlySlot(String deployment) {
		List<String> events = new CopyOnWriteArrayList<>();
		Disposable stream = webClient().post()
			.uri("/v1/chat/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(CHAT_STREAM.formatted(deployment))
			.retrieve()
			.bodyToFlux(String.class)
			.subscribe(events::add);
		this.streams.add(stream);
		await().atMost(TIMEOUT).until(() -> !events.isEmpty());
		return stream;
	}

	private void expectOverloaded(WebTestClient.ResponseSpec response, String body) {
		response.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals("Retry-After", "1")
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.json(body, true);
	}

	private WebTestClient.ResponseSpec post(String path, MediaType type, String body) {
		return client().post().uri(path).contentType(type).bodyValue(body).exchange();
	}

	private WebClient webClient() {
		return WebClient.create("http://127.0.0.1:" + this.port);
	}

	private String scrape() {
		return client().get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private double gauge(String name, String deployment) {
		Gauge gauge = this.registry.find(name).tag("deployment", deployment).gauge();
		return (gauge != null) ? gauge.value() : 0;
	}

	private double counter(String name, String deployment, String reason) {
		Search search = this.registry.find(name).tag("deployment", deployment);
		Counter counter = ((reason != null) ? search.tag("reason", reason) : search).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
