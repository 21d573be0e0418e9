package dev.llmserve.replica;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmserve.process.FreePorts;
import dev.llmserve.proto.ChatMessage;
import dev.llmserve.proto.ChatMessages;
import dev.llmserve.proto.GenerateChunk;
import dev.llmserve.proto.GenerateRequest;
import dev.llmserve.proto.LoadRequest;
import dev.llmserve.proto.ReactorInferenceGrpc;
import dev.llmserve.proto.ReplicaLoad;
import dev.llmserve.proto.SamplingParams;
import dev.llmserve.replica.engine.EngineEndpoint;
import dev.llmserve.replica.engine.EngineState;
import dev.llmserve.replica.engine.ReplicaTerminator;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** The whole replica, in this JVM, in front of the real simulator (instant profile). */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "logging.level.dev.llmserve.replica.grpc.InferenceGrpcService=debug")
@AutoConfigureObservability
@ExtendWith(OutputCaptureExtension.class)
class ReplicaIntegrationTests {

	private static final int GRPC_PORT = FreePorts.find();

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static ManagedChannel channel;

	@MockitoBean
	private ReplicaTerminator terminator;

	@Autowired
	private EngineState engine;

	@Autowired
	private EngineEndpoint engineEndpoint;

	@LocalServerPort
	private int httpPort;

	private final ObjectMapper json = new ObjectMapper();

	private ReactorInferenceGrpc.ReactorInferenceStub inference;

	@DynamicPropertySource
	static void replicaProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.grpc.server.port", () -> GRPC_PORT);
		registry.add("llmserve.replica.deployment", () -> "tiny");
		registry.add("llmserve.replica.id", () -> "tiny-7");
		registry.add("llmserve.replica.restarts", () -> "2");
		registry.add("llmserve.replica.engine.profile", () -> "instant");
		// Small context (to provoke a 400) and a steady 20 ms per token (to catch streams
		// mid-way).
		registry.add("llmserve.replica.engine.args", () -> "--max-model-len,256,--fixed-itl-ms,20");
	}

	@BeforeAll
	static void connect() {
		channel = ManagedChannelBuilder.forAddress("127.0.0.1", GRPC_PORT).usePlaintext().build();
	}

	@AfterAll
	static void disconnect() {
		channel.shutdownNow();
	}

	@BeforeEach
	void awaitEngine() {
		await().atMost(Duration.ofSeconds(30)).until(this.engine::isReady);
		this.inference = ReactorInferenceGrpc.newReactorStub(channel);
	}

	@Test
	void streamsACompletionAsTextChunksThenAFinalChunkWithFinishReasonAndUsage() {
		List<GenerateChunk> chunks = this.inference.generate(prompt("Tell me a story", 8)).collectList().block(TIMEOUT);

		assertThat(chunks).hasSize(8);
		assertThat(chunks.subList(0, 7)).allSatisfy((chunk) -> {
			assertThat(chunk.getText()).isNotEmpty();
			assertThat(chunk.getTokenCount()).isEqualTo(1);
			assertThat(chunk.getFinishReason()).isEmpty();
			assertThat(chunk.hasUsage()).isFalse();
		});
		GenerateChunk last = chunks.get(7);
		assertThat(last.getFinishReason()).isEqualTo("length");
		assertThat(last.getUsage().getCompletionTokens()).isEqualTo(8);
		assertThat(last.getUsage().getPromptTokens()).isPositive();
		assertThat(chunks.stream().mapToInt(GenerateChunk::getTokenCount).sum()).isEqualTo(8);
	}

	@Test
	void streamsAChatCompletionThenAFinalChunkWithFinishReasonAndUsage() {
		GenerateRequest request = GenerateRequest.newBuilder()
			.setRequestId("chat-1")
			.setDeployment("tiny")
			.setChat(ChatMessages.newBuilder()
				.addMessages(ChatMessage.newBuilder().setRole("user").setContent("Hello there")))
			.setSampling(SamplingParams.newBuilder().setMaxTokens(5).setIgnoreEos(true))
			.build();

		List<GenerateChunk> chunks = this.inference.generate(request).collectList().block(TIMEOUT);

		assertThat(chunks).isNotEmpty();
		assertThat(chunks.get(0).getText()).isNotEmpty();
		GenerateChunk last = chunks.get(chunks.size() - 1);
		assertThat(last.getFinishReason()).isEqualTo("length");
		assertThat(last.getUsage().getCompletionTokens()).isEqualTo(5);
		assertThat(last.getUsage().getPromptTokens()).isPositive();
	}

	@Test
	void aPromptLongerThanTheContextIsAnInvalidArgumentWithTheEnginesMessage() {
		StepVerifier.create(this.inference.generate(prompt("word ".repeat(300), 4))).expectErrorSatisfies((error) -> {
			Status status = Status.fromThrowable(error);
			assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
			assertThat(status.getDescription()).contains("maximum context length is 256 tokens");
		}).verify(TIMEOUT);
	}

	@Test
	void anotherDeploymentIsNotFound() {
		GenerateRequest request = prompt("hi", 2).toBuilder().setDeployment("other").build();

		StepVerifier.create(this.inference.generate(request))
			.expectErrorSatisfies(
					(error) -> assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.NOT_FOUND))
			.verify(TIMEOUT);
	}

	@Test
	void cancellingAStreamMakesTheEngineAbortTheSequence() {
		int abortedBefore = abortedInEngine();

		StepVerifier.create(this.inference.generate(prompt("Go on forever", 200)))
			.expectNextCount(3)
			.thenCancel()
			.verify(TIMEOUT);

		await().atMost(Duration.ofSeconds(1)).until(() -> abortedInEngine() > abortedBefore);
		await().atMost(Duration.ofSeconds(2)).until(() -> currentLoad().getInFlight() == 0);
	}

	@Test
	void reportsTheEnginesRunningSequencesAndTheCallsInFlight() {
		Disposable.Composite streams = Disposables.composite();
		try {
			for (int i = 0; i < 3; i++) {
				streams.add(this.inference.generate(prompt("Stream number " + i, 200)).subscribe((chunk) -> {
				}, (error) -> {
				}));
			}

			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				ReplicaLoad load = currentLoad();
				assertThat(load.getRunning()).isEqualTo(3);
				assertThat(load.getInFlight()).isEqualTo(3);
				assertThat(load.getKvCacheUsage()).isPositive();
				assertThat(load.getEngineHealthy()).isTrue();
				assertThat(load.getUpdatedAtMillis()).isCloseTo(System.currentTimeMillis(), within(5_000L));
			});
		}
		finally {
			streams.dispose();
		}
		await().atMost(Duration.ofSeconds(3)).until(() -> currentLoad().getInFlight() == 0);
	}

	@Test
	void reportsServingOnGrpcHealthAndReadyOnActuator() {
		HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);

		assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
		assertThat(
				health.check(HealthCheckRequest.newBuilder().setService("llmserve.v1.Inference").build()).getStatus())
			.isEqualTo(ServingStatus.SERVING);
		assertThat(httpGet(this.httpPort, "/actuator/health/readiness")).contains("\"status\":\"UP\"")
			.contains("\"engine\"");
		assertThat(httpGet(this.httpPort, "/actuator/prometheus"))
			.contains("llmserve_replica_engine_requests_running{");
	}

	@Test
	void exposesItsGenerateLatencyAndTheEnginesCountersUnderItsDeploymentAndReplicaTags() {
		String tags = "deployment=\"tiny\",replica=\"tiny-7\"";
		double generatedBefore = scraped("llmserve_replica_engine_generation_tokens_total{", tags);
		double callsBefore = scraped("llmserve_replica_generate_duration_seconds_count{", tags);
		this.inference.generate(prompt("Count to eight", 8)).blockLast(TIMEOUT);

		assertThat(scraped("llmserve_replica_generate_duration_seconds_count{", tags)).isEqualTo(callsBefore + 1);
		// The engine's counters arrive with the next scrape of its /metrics (every
		// second).
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(scraped("llmserve_replica_engine_generation_tokens_total{", tags))
				.isGreaterThanOrEqualTo(generatedBefore + 8));
		assertThat(scraped("llmserve_replica_engine_prompt_tokens_total{", tags)).isPositive();
		assertThat(scraped("llmserve_replica_engine_restarts_total{", tags)).isEqualTo(2);
		assertThat(httpGet(this.httpPort, "/actuator/prometheus"))
			.contains("llmserve_replica_engine_kv_cache_usage_ratio{")
			.contains("llmserve_replica_engine_requests_waiting{")
			.contains("llmserve_replica_engine_preemptions_total{")
			.contains("llmserve_replica_generate_duration_seconds_bucket{");
	}

	@Test
	void continuesTheCallersTraceInItsLogLines(CapturedOutput output) {
		String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
		Metadata headers = new Metadata();
		headers.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
				"00-" + traceId + "-00f067aa0ba902b7-01");
		GenerateRequest request = prompt("Trace me", 2);
		this.inference.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
			.generate(request)
			.blockLast(TIMEOUT);

		assertThat(output.getOut().lines().filter((line) -> line.contains("Generate " + request.getRequestId())))
			.singleElement()
			.asString()
			.contains(traceId);
	}

	@Test
	void exposesNoMetricTheCatalogDoesNotDescribe() throws IOException {
		String catalog = Files.readString(Path.of("..", "docs", "metrics.md"));
		assertThat(httpGet(this.httpPort, "/actuator/prometheus").lines()
			.filter((line) -> line.startsWith("# TYPE llmserve_"))
			.map((line) -> line.split(" ")[2].replaceFirst("_max$", ""))
			.filter((name) -> !catalog.contains("`" + name + "`"))
			.distinct()).as("missing from docs/metrics.md").isEmpty();
	}

	private double scraped(String series, String tags) {
		return httpGet(this.httpPort, "/actuator/prometheus").lines()
			.filter((line) -> line.startsWith(series) && line.contains(tags))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

	private GenerateRequest prompt(String prompt, int maxTokens) {
		return GenerateRequest.newBuilder()
			.setRequestId("it-" + System.nanoTime())
			.setDeployment("tiny")
			.setPrompt(prompt)
			.setSampling(SamplingParams.newBuilder().setMaxTokens(maxTokens).setIgnoreEos(true))
			.build();
	}

	private ReplicaLoad currentLoad() {
		return this.inference.getLoad(LoadRequest.getDefaultInstance()).block(TIMEOUT);
	}

	private int abortedInEngine() {
		try {
			return this.json.readTree(httpGet(this.engineEndpoint.port(), "/admin/stats")).path("aborted").asInt();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String httpGet(int port, String path) {
		return HttpClient.create()
			.baseUrl("http://127.0.0.1:" + port)
			.get()
			.uri(path)
			.responseSingle((response, body) -> body.asString())
			.block(TIMEOUT);
	}

}
