package dev.llmserve.gateway.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.llmserve.gateway.support.FakeReplica;
import dev.llmserve.gateway.support.GatewayIntegrationTest;
import dev.llmserve.gateway.support.RawHttpClient;
import dev.llmserve.gateway.support.RawHttpClient.Exchange;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A client that stops reading a stream that never ends: backpressure holds the replica to
 * what the buffers between it and the client take, and after the stall timeout (2 s in
 * the test setup) the gateway disconnects the client and cancels the call upstream.
 */
class SlowClientIntegrationTests extends GatewayIntegrationTest {

	/**
	 * What the chain may hold for one stalled stream, in 100-character tokens: the
	 * client's receive and the gateway's send buffers (a few MB on loopback at most),
	 * Netty's 64 KB high-water mark, Reactor Netty's and the upstream prefetch, and
	 * gRPC's flow-control windows (1 MB per stream). Without backpressure the replica
	 * would produce millions in the 2 s it takes to notice the stall.
	 */
	private static final long BOUND = 150_000;

	@Test
	void clientThatReadsNothingIsDisconnectedAndItsGenerationCancelled() throws IOException {
		AtomicLong produced = new AtomicLong();
		String text = "x".repeat(100);
		SOLO.behave((request) -> Flux.<String>generate((sink) -> sink.next(text))
			.map(FakeReplica::token)
			.doOnNext((token) -> produced.incrementAndGet()));
		byte[] body = "{\"model\":\"solo\",\"prompt\":\"Go on forever\",\"stream\":true}"
			.getBytes(StandardCharsets.UTF_8);
		try (Exchange exchange = RawHttpClient.open(this.port,
				RawHttpClient.request("POST /v1/completions HTTP/1.1\nHost: x\nContent-Type: application/json\n"
						+ "Content-Length: " + body.length, body),
				Duration.ofSeconds(90), 4096)) {
			assertThat(exchange.head().status()).isEqualTo(200);

			await().atMost(Duration.ofSeconds(60)).until(() -> SOLO.cancellations() == 1);

			assertThat(produced.get()).as("tokens the replica produced").isLessThan(BOUND);
			assertThatExceptionOfType(IOException.class).as("the connection was closed before the stream ended")
				.isThrownBy(exchange::rest);
		}
	}

	@Test
	void clientThatReadsSlowlyButSteadilyIsServedToTheEnd() throws Exception {
		SOLO.behave((request) -> Flux.range(0, 30)
			.map((i) -> FakeReplica.token("t" + i))
			.concatWith(FakeReplica.tokens("end")));
		byte[] body = "{\"model\":\"solo\",\"prompt\":\"Slowly\",\"stream\":true}".getBytes(StandardCharsets.UTF_8);
		try (Exchange exchange = RawHttpClient.open(this.port,
				RawHttpClient.request("POST /v1/completions HTTP/1.1\nHost: x\nContent-Type: application/json\n"
						+ "Content-Length: " + body.length, body),
				Duration.ofSeconds(30), 0)) {
			StringBuilder events = new StringBuilder();
			for (String piece = exchange.next(); piece != null; piece = exchange.next()) {
				events.append(piece);
				Thread.sleep(100);
			}
			assertThat(events.toString()).contains("\"text\":\"end\"").endsWith("data: [DONE]\n\n");
		}
	}

}
