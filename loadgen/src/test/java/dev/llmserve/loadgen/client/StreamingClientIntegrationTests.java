package dev.llmserve.loadgen.client;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.llmserve.loadgen.workload.PreparedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class StreamingClientIntegrationTests {

	private static final PreparedRequest CHAT = new PreparedRequest("/v1/chat/completions", "application/json",
			"{\"model\":\"m\"}".getBytes(), 7, 16);

	private static final PreparedRequest PLAIN = new PreparedRequest("/v1/chat/tinyllama", "text/plain",
			"hello".getBytes(), 1, 16);

	private static TestSseServer server;

	@BeforeAll
	static void start() {
		server = new TestSseServer();
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void aCompleteStreamSucceedsWithEveryChoiceChunkTimedAndTheUsageCount() {
		RequestResult result = send(server.url("/ok"), CHAT, true);

		assertThat(result.outcome()).isEqualTo(Outcome.SUCCESS);
		assertThat(result.httpStatus()).isEqualTo(200);
		assertThat(result.chunkNanos()).hasSize(4);
		assertThat(result.chunkNanos()[0]).isGreaterThan(result.startNanos());
		assertThat(result.outputTokens()).isEqualTo(3);
		assertThat(result.inputTokens()).isEqualTo(7);
	}

	@Test
	void aStatusOtherThan200IsAnHttpFailureWithTheBody() {
		RequestResult result = send(server.url("/busy"), CHAT, true);

		assertThat(result.outcome()).isEqualTo(Outcome.HTTP_STATUS);
		assertThat(result.httpStatus()).isEqualTo(503);
		assertThat(result.detail()).contains("no replica");
	}

	@Test
	void aConnectionCutMidStreamIsABrokenStream() {
		RequestResult result = send(server.url("/broken"), CHAT, true);

		assertThat(result.outcome()).isEqualTo(Outcome.STREAM_BROKEN);
		assertThat(result.chunkNanos()).hasSize(2);
	}

	@Test
	void anErrorEventIsAnErrorEventFailure() {
		RequestResult result = send(server.url("/error-event"), CHAT, true);

		assertThat(result.outcome()).isEqualTo(Outcome.ERROR_EVENT);
		assertThat(result.detail()).contains("engine failed");
	}

	@Test
	void silenceLongerThanTheIdleTimeoutIsATimeout() {
		RequestResult result = send(client(server.url("/stall"), Duration.ofMillis(300)), CHAT, true);

		assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
	}

	@Test
	void aRefusedConnectionIsAConnectError() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		RequestResult result = send("http://127.0.0.1:" + port, CHAT, true);

		assertThat(result.outcome()).isEqualTo(Outcome.CONNECT_ERROR);
	}

	@Test
	void thePlainEndpointTimesEveryReadAndCountsTokensFromTheText() {
		RequestResult result = send(server.url("/plain"), PLAIN, false);

		assertThat(result.outcome()).isEqualTo(Outcome.SUCCESS);
		assertThat(result.outputTokens()).isEqualTo(4);
		assertThat(result.chunkNanos()).isNotEmpty();
	}

	@Test
	void cancellingARequestLetsGoOfItsConnection() {
		try (StreamingClient client = client(server.url("/slow"), Duration.ofSeconds(3))) {
			StepVerifier.create(client.send(0, CHAT, true, StreamListener.NONE))
				.expectSubscription()
				.thenAwait(Duration.ofMillis(100))
				.thenCancel()
				.verify(Duration.ofSeconds(5));
			// the pool (one connection) is free again: the next request gets through
			RequestResult next = client.send(0, CHAT, true, StreamListener.NONE).block(Duration.ofSeconds(5));
			assertThat(next.outcome()).isEqualTo(Outcome.SUCCESS);
		}
	}

	private static RequestResult send(String url, PreparedRequest request, boolean eventStream) {
		return send(client(url, Duration.ofSeconds(3)), request, eventStream);
	}

	private static RequestResult send(StreamingClient client, PreparedRequest request, boolean eventStream) {
		try (client) {
			return client.send(0, request, eventStream, StreamListener.NONE).block(Duration.ofSeconds(10));
		}
	}

	private static StreamingClient client(String url, Duration idleTimeout) {
		return new StreamingClient(new ClientSpec(List.of(URI.create(url)), Duration.ofSeconds(8), idleTimeout,
				Duration.ofSeconds(2), 1, 1, List.of()));
	}

}
