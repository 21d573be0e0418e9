package dev.llmserve.gateway.metrics;

import java.time.Duration;

import dev.llmserve.gateway.error.ApiErrors;
import dev.llmserve.proto.GenerateChunk;
import dev.llmserve.proto.Usage;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayMetricsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final GatewayMetrics metrics = new GatewayMetrics(this.registry, "m"::equals);

	@Test
	void timesEveryTokenAndCountsTokensOfACompletedGeneration() {
		Flux<GenerateChunk> chunks = Flux.just(token("a"), token("b"), token("c"),
				GenerateChunk.newBuilder()
					.setFinishReason("stop")
					.setUsage(Usage.newBuilder().setPromptTokens(7).setCompletionTokens(3))
					.build());
		StepVerifier.create(this.metrics.request().deployment("m").generation(chunks))
			.expectNextCount(4)
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(timer("llmserve.gateway.time.to.first.token")).isEqualTo(1);
		assertThat(timer("llmserve.gateway.inter.token.latency")).as("between a-b and b-c").isEqualTo(2);
		assertThat(timer("llmserve.gateway.request.duration")).isEqualTo(1);
		assertThat(tokens("prompt")).isEqualTo(7);
		assertThat(tokens("completion")).isEqualTo(3);
		assertThat(requests("m", "ok")).isEqualTo(1);
	}

	@Test
	void classifiesEndingsIntoTheFiveOutcomes() {
		generate(Flux.error(Status.UNAVAILABLE.asRuntimeException()));
		generate(Flux.error(Status.INVALID_ARGUMENT.asRuntimeException()));
		generate(Flux.error(Status.RESOURCE_EXHAUSTED.asRuntimeException()));
		StepVerifier
			.create(this.metrics.request()
				.deployment("m")
				.counted(Mono.error(ApiErrors.serviceUnavailable("overloaded", 1).exception())))
			.expectError()
			.verify(TIMEOUT);
		assertThat(requests("m", "failed")).isEqualTo(1);
		assertThat(requests("m", "client_error")).isEqualTo(1);
		assertThat(requests("m", "rejected")).isEqualTo(2);
	}

	@Test
	void countsARequestOnceWhenItsErrorReachesBothTheGenerationAndTheResponse() {
		RequestRecorder recorder = this.metrics.request().deployment("m");
		Mono<Object> response = recorder.generation(Flux.error(Status.INTERNAL.asRuntimeException()))
			.then(Mono.empty());
		StepVerifier.create(recorder.counted(response)).expectError().verify(TIMEOUT);
		assertThat(requests("m", "failed")).isEqualTo(1);
	}

	@Test
	void tagsDeploymentsTheGatewayDoesNotRouteToAsUnknown() {
		StepVerifier
			.create(this.metrics.request()
				.deployment("made-up-by-a-client")
				.counted(Mono.error(ApiErrors.modelNotFound("made-up-by-a-client").exception())))
			.expectError()
			.verify(TIMEOUT);
		assertThat(requests("unknown", "client_error")).isEqualTo(1);
		assertThat(this.registry.find("llmserve.gateway.requests").tag("deployment", "made-up-by-a-client").meters())
			.isEmpty();
	}

	@Test
	void countsAStreamActiveUntilItIsCancelled() {
		TestPublisher<GenerateChunk> chunks = TestPublisher.create();
		StepVerifier.create(this.metrics.instrument("m", chunks.flux()))
			.then(() -> assertThat(active()).isEqualTo(1))
			.then(() -> chunks.next(token("a")))
			.expectNextCount(1)
			.thenCancel()
			.verify(TIMEOUT);
		assertThat(active()).isZero();
		assertThat(requests("m", "cancelled")).isEqualTo(1);
		assertThat(tokens("completion")).as("tokens sent before the client left").isEqualTo(1);
	}

	private void generate(Flux<GenerateChunk> chunks) {
		StepVerifier.create(this.metrics.instrument("m", chunks)).expectError().verify(TIMEOUT);
	}

	private static GenerateChunk token(String text) {
		return GenerateChunk.newBuilder().setText(text).setTokenCount(1).build();
	}

	private long timer(String name) {
		return this.registry.get(name).tag("deployment", "m").timer().count();
	}

	private double tokens(String kind) {
		return this.registry.get("llmserve.gateway.tokens").tag("deployment", "m").tag("kind", kind).counter().count();
	}

	private double requests(String deployment, String outcome) {
		return this.registry.get("llmserve.gateway.requests")
			.tag("deployment", deployment)
			.tag("outcome", outcome)
			.counter()
			.count();
	}

	private double active() {
		return this.registry.get("llmserve.gateway.streams.active").tag("deployment", "m").gauge().value();
	}

}
