package dev.llmserve.replica.bridge;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmserve.process.FreePorts;
import dev.llmserve.proto.GenerateChunk;
import dev.llmserve.proto.GenerateRequest;
import dev.llmserve.proto.SamplingParams;
import dev.llmserve.replica.ReplicaProperties;
import dev.llmserve.replica.engine.EngineEndpoint;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bridge against a scripted fake engine, for what the simulator cannot be made to do.
 */
class EngineStreamClientIntegrationTests {

	private static final String COMPLETION = """
			data: {"id":"cmpl-1","object":"text_completion","choices":[{"index":0,"text":" Hello","finish_reason":null,"stop_reason":null}]}

			data: {"id":"cmpl-1","object":"text_completion","choices":[{"index":0,"text":" wörld","finish_reason":null,"stop_reason":null}]}

			data: {"id":"cmpl-1","object":"text_completion","choices":[{"index":0,"text":"!","finish_reason":"length","stop_reason":null}]}

			data: {"id":"cmpl-1","object":"text_completion","choices":[],"usage":{"prompt_tokens":4,"total_tokens":7,"completion_tokens":3}}

			data: [DONE]

			""";

	private final ObjectMapper json = new ObjectMapper();

	private final ConnectionProvider connections = ConnectionProvider.create("test", 8);

	private volatile BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> engine;

	private DisposableServer server;

	@BeforeEach
	void startFakeEngine() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> this.engine.apply(request, response))
			.bindNow();
	}

	@AfterEach
	void stop() {
		this.server.disposeNow();
		this.connections.dispose();
	}

	@Test
	void reassemblesEventsTheNetworkCutIntoPiecesAndSendsTheRequestIdAndBody() {
		AtomicReference<String> requestId = new AtomicReference<>();
		AtomicReference<String> body = new AtomicReference<>();
		this.engine = (request, response) -> {
			requestId.set(request.requestHeaders().get("X-Request-Id"));
			return request.receive().aggregate().asString().flatMap((text) -> {
				body.set(text);
				return response.header("content-type", "text/event-stream")
					.sendByteArray(Flux.fromIterable(pieces(COMPLETION, 7)).delayElements(Duration.ofMillis(2)))
					.then();
			});
		};

		List<GenerateChunk> chunks = client(Duration.ofSeconds(5)).generate(request("r-42"))
			.collectList()
			.block(Duration.ofSeconds(10));

		assertThat(chunks).extracting(GenerateChunk::getText).containsExactly(" Hello", " wörld", "!");
		assertThat(chunks.get(2).getFinishReason()).isEqualTo("length");
		assertThat(chunks.get(2).getUsage().getCompletionTokens()).isEqualTo(3);
		assertThat(requestId.get()).isEqualTo("r-42");
		JsonNode sent = readTree(body.get());
		assertThat(sent.path("model").asText()).isEqualTo("tiny");
		assertThat(sent.path("stream").asBoolean()).isTrue();
		assertThat(sent.path("max_tokens").asInt()).isEqualTo(3);
	}

	@Test
	void cancellingTheStreamClosesTheEngineConnection() throws Exception {
		CountDownLatch closed = new CountDownLatch(1);
		this.engine = (request, response) -> {
			request.withConnection((connection) -> connection.onDispose(closed::countDown));
			String first = COMPLETION.substring(0, COMPLETION.indexOf("\n\n") + 2);
			return response.header("content-type", "text/event-stream")
				.sendString(Flux.concat(Mono.just(first), Flux.never()))
				.then();
		};

		StepVerifier.create(client(Duration.ofSeconds(5)).generate(request("r-1")))
			.expectNextMatches((chunk) -> chunk.getText().equals(" Hello"))
			.thenCancel()
			.verify(Duration.ofSeconds(5));

		assertThat(closed.await(2, TimeUnit.SECONDS)).as("engine connection closed").isTrue();
	}

	@Test
	void anEngineThatSendsNoHeadersInTimeIsUnavailable() {
		this.engine = (request, response) -> Mono.never();

		StepVerifier.create(client(Duration.ofMillis(300)).generate(request("r-1"))).expectErrorSatisfies((error) -> {
			assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
			assertThat(Status.fromThrowable(error).getDescription()).contains("no response within");
		}).verify(Duration.ofSeconds(5));
	}

	@Test
	void anEngineErrorResponseKeepsItsStatusAndMessage() {
		this.engine = (request, response) -> response.status(400)
			.header("content-type", "application/json")
			.sendString(Mono.just("{\"error\":{\"message\":\"max_tokens is too large\",\"code\":400}}"))
			.then();

		StepVerifier.create(client(Duration.ofSeconds(5)).generate(request("r-1"))).expectErrorSatisfies((error) -> {
			assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
			assertThat(Status.fromThrowable(error).getDescription()).isEqualTo("max_tokens is too large");
		}).verify(Duration.ofSeconds(5));
	}

	@Test
	void aStreamThatEndsBeforeItsFinishIsUnavailable() {
		String first = COMPLETION.substring(0, COMPLETION.indexOf("\n\n") + 2);
		this.engine = (request,
				response) -> response.header("content-type", "text/event-stream").sendString(Mono.just(first)).then();

		StepVerifier.create(client(Duration.ofSeconds(5)).generate(request("r-1")))
			.expectNextCount(1)
			.expectErrorSatisfies(
					(error) -> assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.UNAVAILABLE))
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void anEngineNobodyListensForIsUnavailable() {
		EngineStreamClient client = BridgeConfiguration.engineStreamClient(this.connections,
				EngineEndpoint.loopback(FreePorts.find()), bridge(Duration.ofSeconds(5)), "tiny", this.json);

		StepVerifier.create(client.generate(request("r-1")))
			.expectErrorSatisfies(
					(error) -> assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.UNAVAILABLE))
			.verify(Duration.ofSeconds(5));
	}

	private EngineStreamClient client(Duration responseTimeout) {
		return BridgeConfiguration.engineStreamClient(this.connections, EngineEndpoint.loopback(this.server.port()),
				bridge(responseTimeout), "tiny", this.json);
	}

	private static ReplicaProperties.Bridge bridge(Duration responseTimeout) {
		return new ReplicaProperties.Bridge(Duration.ofSeconds(1), responseTimeout, Duration.ofSeconds(30), 8, 8,
				Duration.ofSeconds(1), 4, 64 * 1024);
	}

	private static GenerateRequest request(String id) {
		return GenerateRequest.newBuilder()
			.setRequestId(id)
			.setPrompt("Say hello")
			.setSampling(SamplingParams.newBuilder().setMaxTokens(3))
			.build();
	}

	private static List<byte[]> pieces(String text, int size) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		List<byte[]> pieces = new ArrayList<>();
		for (int i = 0; i < bytes.length; i += size) {
			byte[] piece = new byte[Math.min(size, bytes.length - i)];
			System.arraycopy(bytes, i, piece, 0, piece.length);
			pieces.add(piece);
		}
		return pieces;
	}

	private JsonNode readTree(String text) {
		try {
			return this.json.readTree(text);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
