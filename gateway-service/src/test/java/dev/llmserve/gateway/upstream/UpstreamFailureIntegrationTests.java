package dev.llmserve.gateway.upstream;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.llmserve.gateway.support.FakeReplica;
import dev.llmserve.gateway.support.GatewayIntegrationTest;
import dev.llmserve.proto.GenerateChunk;
import dev.llmserve.proto.GenerateRequest;
import dev.llmserve.proto.Usage;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class UpstreamFailureIntegrationTests extends GatewayIntegrationTest {

	private static final String CHAT_STREAM = "{\"model\":\"%s\",\"stream\":true,"
			+ "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

	@Test
	void retriesOnAnotherReplicaBeforeTheFirstTokenInvisiblyToTheClient() {
		AtomicBoolean failed = new AtomicBoolean();
		A.behave((request) -> failed.compareAndSet(false, true) ? FakeReplica.failing(Status.UNAVAILABLE)
				: FakeReplica.tokens("Hello", " world"));
		B.behave((request) -> failed.compareAndSet(false, true) ? FakeReplica.failing(Status.UNAVAILABLE)
				: FakeReplica.tokens("Hello", " world"));
		String body = chatStream("tinyllama").expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(body).contains("\"content\":\"Hello\"").endsWith("data: [DONE]\n\n").doesNotContain("error");
		assertThat(A.requests()).hasSize(1);
		assertThat(B.requests()).hasSize(1);
	}

	@Test
	void continuesAChatStreamOnAnotherReplicaAsOneUninterruptedStream() {
		AtomicInteger calls = new AtomicInteger();
		Function<GenerateRequest, Flux<GenerateChunk>> failsOnce = (
				request) -> (calls.getAndIncrement() == 0)
						? Flux.just(FakeReplica.token("Hel"))
							.concatWith(Flux
								.error(Status.UNAVAILABLE.withDescription("connection lost").asRuntimeException()))
						: Flux.just(GenerateChunk.newBuilder()
							.setText("lo")
							.setTokenCount(1)
							.setFinishReason("length")
							.setUsage(Usage.newBuilder().setPromptTokens(8).setCompletionTokens(1))
							.build());
		A.behave(failsOnce);
		B.behave(failsOnce);
		String body = client().post()
			.uri("/v1/chat/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"tinyllama\",\"stream\":true,\"max_tokens\":2,"
					+ "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(body).doesNotContain("error").endsWith("data: [DONE]\n\n");
		assertThat(body.split("\"role\":\"assistant\"", -1)).as("one role delta").hasSize(2);
		assertThat(body).contains("\"content\":\"Hel\"").contains("\"content\":\"lo\"");
		assertThat(body.split("\"finish_reason\":\"", -1)).as("one finish reason").hasSize(2);
		assertThat(body).contains("\"usage\":{\"prompt_tokens\":7,\"total_tokens\":9,\"completion_tokens\":2}");
		List<GenerateRequest> continuations = Stream.concat(A.requests().stream(), B.requests().stream())
			.filter((request) -> request.getChat().getContinueFinalMessage())
			.toList();
		assertThat(continuations).hasSize(1);
		GenerateRequest continuation = continuations.get(0);
		assertThat(continuation.getChat().getContinueFinalMessage()).isTrue();
		assertThat(continuation.getChat().getMessages(1).getContent()).isEqualTo("Hel");
		assertThat(continuation.getSampling().getMaxTokens()).isEqualTo(1);
	}

	@Test
	void answersServiceUnavailableWithRetryAfterWhenNoReplicaCanBeReached() {
		chatStream("ghost").expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals("Retry-After", "1")
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("ServiceUnavailableError")
			.jsonPath("$.error.code")
			.isEqualTo(503)
			.jsonPath("$.error.message")
			.value((message) -> assertThat((String) message).startsWith("No replica of `ghost` could be reached"));
	}

	@Test
	void passesTheReplicasBadRequestThroughAsAStatusEvenWhenStreaming() {
		SOLO.behave((request) -> FakeReplica
			.failing(Status.INVALID_ARGUMENT.withDescription("This model's maximum context length is 2048 tokens.")));
		chatStream("solo").expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"error\":{\"message\":\"This model's maximum context length is 2048 tokens.\","
					+ "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}}", true);
		assertThat(SOLO.requests()).hasSize(1);
	}

	@Test
	void answersTooManyRequestsWithRetryAfterWhenTheReplicaIsFull() {
		SOLO.behave((request) -> FakeReplica.failing(Status.RESOURCE_EXHAUSTED.withDescription("queue full")));
		chatStream("solo").expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.valueEquals("Retry-After", "1")
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("queue full");
	}

	@Test
	void endsTheStreamWithAnErrorEventWhenTheReplicaFailsAfterTheFirstToken() {
		SOLO.behave((request) -> Flux.just(FakeReplica.token("Hel"))
			.concatWith(Flux.error(Status.INTERNAL.withDescription("engine crashed").asRuntimeException())));
		byte[] body = chatStream("solo").expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(new String(body, StandardCharsets.UTF_8)).contains("\"content\":\"Hel\"")
			.endsWith("data: {\"error\":{\"message\":\"The replica failed the request (INTERNAL: engine crashed)\","
					+ "\"type\":\"BadGatewayError\",\"param\":null,\"code\":502}}\n\ndata: [DONE]\n\n");
	}

	@Test
	void answersGatewayTimeoutWhenNoTokenArrivesInTime() {
		SOLO.behave((request) -> Flux.never());
		chatStream("solo").expectStatus()
			.isEqualTo(504)
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("GatewayTimeoutError");
		await().atMost(TIMEOUT).until(() -> SOLO.cancellations() == 1);
	}

	@Test
	void cancelsTheReplicaCallWhenTheClientDisconnects() {
		SOLO.behave((request) -> Flux.just(FakeReplica.token("Hel")).concatWith(Flux.never()));
		Flux<String> events = chatStream("solo").expectStatus().isOk().returnResult(String.class).getResponseBody();
		StepVerifier.create(events).expectNextCount(1).thenCancel().verify(TIMEOUT);
		await().atMost(TIMEOUT).until(() -> SOLO.cancellations() == 1);
	}

	@Test
	void cancelsTheReplicaCallWhenANonStreamingClientDisconnects() {
		SOLO.behave((request) -> Flux.just(FakeReplica.token("Hel")).concatWith(Flux.never()));
		Disposable call = WebClient.create("http://127.0.0.1:" + this.port)
			.post()
			.uri("/v1/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"solo\",\"prompt\":\"x\"}")
			.retrieve()
			.bodyToMono(String.class)
			.subscribe();
		await().atMost(TIMEOUT).until(() -> SOLO.requests().size() == 1);
		call.dispose();
		await().atMost(TIMEOUT).until(() -> SOLO.cancellations() == 1);
	}

	private WebTestClient.ResponseSpec chatStream(String model) {
		return client().post()
			.uri("/v1/chat/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(CHAT_STREAM.formatted(model))
			.exchange();
	}

}
