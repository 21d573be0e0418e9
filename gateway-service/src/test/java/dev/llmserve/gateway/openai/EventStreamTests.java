package dev.llmserve.gateway.openai;

import java.time.Duration;

import dev.llmserve.gateway.error.ApiErrorMapper;
import dev.llmserve.gateway.shutdown.StreamDrain;
import dev.llmserve.proto.GenerateChunk;
import dev.llmserve.proto.Usage;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.util.context.Context;

import static org.assertj.core.api.Assertions.assertThat;

class EventStreamTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final ApiErrorMapper errors = new ApiErrorMapper(1);

	private final TextChunkEncoder encoder = new TextChunkEncoder("r", 1, "m");

	@Test
	void writesOneStringPerChunkThenUsageAndDone() {
		Flux<String> events = EventStream.of(Flux.just(token("A"), last("B")), this.encoder, true, this.errors);
		StepVerifier.create(events)
			.expectNext(this.encoder.events(token("A"), true))
			.expectNext(this.encoder.events(last("B"), false))
			.expectNext(this.encoder.usageEvent(new Completion("", "length", null, 3, 2)) + ChunkEncoder.DONE)
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void endsWithDoneAloneWhenUsageWasNotAskedFor() {
		StepVerifier.create(EventStream.of(Flux.just(last("B")), this.encoder, false, this.errors))
			.expectNextCount(1)
			.expectNext("data: [DONE]\n\n")
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void sendsTheChatRoleOnlyWithTheFirstNonEmptyDelta() {
		ChatChunkEncoder chat = new ChatChunkEncoder("r", 1, "m");
		StepVerifier.create(EventStream.of(Flux.just(token(""), token("A"), last("B")), chat, false, this.errors))
			.assertNext((events) -> assertThat(events).contains("\"role\":\"assistant\"").contains("\"content\":\"A\""))
			.assertNext((events) -> assertThat(events).doesNotContain("\"role\""))
			.expectNext(ChunkEncoder.DONE)
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void propagatesAFailureBeforeAnythingWasSent() {
		Flux<GenerateChunk> failing = Flux.error(Status.UNAVAILABLE.asRuntimeException());
		StepVerifier.create(EventStream.of(Flux.just(token("")).concatWith(failing), this.encoder, true, this.errors))
			.expectErrorSatisfies(
					(error) -> assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.UNAVAILABLE))
			.verify(TIMEOUT);
	}

	@Test
	void endsWithAnErrorEventAndDoneWhenFailingAfterTheFirstChunk() {
		Flux<GenerateChunk> chunks = Flux.just(token("A"))
			.concatWith(Flux.error(Status.INTERNAL.withDescription("boom").asRuntimeException()));
		StepVerifier.create(EventStream.of(chunks, this.encoder, true, this.errors))
			.expectNextCount(1)
			.expectNext("data: {\"error\":{\"message\":\"The replica failed the request (INTERNAL: boom)\","
					+ "\"type\":\"BadGatewayError\",\"param\":null,\"code\":502}}\n\ndata: [DONE]\n\n")
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void cancelsTheChunksWhenTheClientGoesAway() {
		TestPublisher<GenerateChunk> chunks = TestPublisher.create();
		StepVerifier.create(EventStream.of(chunks.flux(), this.encoder, true, this.errors))
			.then(() -> chunks.next(token("A")))
			.expectNextCount(1)
			.thenCancel()
			.verify(TIMEOUT);
		chunks.assertCancelled();
	}

	private static GenerateChunk token(String text) {
		return GenerateChunk.newBuilder().setText(text).setTokenCount(1).build();
	}

	private static GenerateChunk last(String text) {
		return GenerateChunk.newBuilder()
			.setText(text)
			.setTokenCount(1)
			.setFinishReason("length")
			.setUsage(Usage.newBuilder().setPromptTokens(3).setCompletionTokens(2))
			.build();
	}

	@Test
	void endsWithAnErrorEventAndDoneWhenTheShutdownGraceEndsMidStream() {
		Sinks.One<Boolean> graceEnded = Sinks.one();
		TestPublisher<GenerateChunk> chunks = TestPublisher.create();
		StepVerifier
			.create(EventStream.of(chunks.flux(), this.encoder, true, this.errors)
				.contextWrite(Context.of(StreamDrain.GRACE_ENDED, graceEnded.asMono())))
			.then(() -> chunks.next(token("A")))
			.expectNextCount(1)
			.then(() -> graceEnded.tryEmitValue(true))
			.assertNext((events) -> assertThat(events).startsWith("data: {\"error\":")
				.contains("\"code\":503")
				.endsWith("data: [DONE]\n\n"))
			.expectComplete()
			.verify(TIMEOUT);
		chunks.assertCancelled();
	}

	@Test
	void failsWithServiceUnavailableWhenTheShutdownGraceEndsBeforeTheFirstChunk() {
		Sinks.One<Boolean> graceEnded = Sinks.one();
		TestPublisher<GenerateChunk> chunks = TestPublisher.create();
		StepVerifier
			.create(EventStream.of(chunks.flux(), this.encoder, true, this.errors)
				.contextWrite(Context.of(StreamDrain.GRACE_ENDED, graceEnded.asMono())))
			.then(() -> graceEnded.tryEmitValue(true))
			.expectErrorSatisfies((error) -> assertThat(this.errors.map(error).status()).isEqualTo(503))
			.verify(TIMEOUT);
		chunks.assertCancelled();
	}

}
