package dev.llmserve.gateway.shutdown;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.llmserve.gateway.GatewayApplication;
import dev.llmserve.gateway.support.FakeReplica;
import dev.llmserve.gateway.support.RawHttpClient;
import dev.llmserve.gateway.support.RawHttpClient.Exchange;
import dev.llmserve.process.FreePorts;
import dev.llmserve.process.ManagedProcess;
import dev.llmserve.process.ProcessSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway as a process of its own (this test's classpath, its real main) receiving
 * SIGTERM with streams open: it stops accepting at once, lets the short stream finish,
 * ends the long one with an error event and {@code [DONE]} when the grace is over, and
 * exits well within the phase timeout.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GracefulShutdownIntegrationTests {

	private static final Duration GRACE = Duration.ofSeconds(3);

	private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(15);

	private final FakeReplica replica = FakeReplica.onFreePort();

	private final List<AutoCloseable> resources = new ArrayList<>();

	private ManagedProcess gateway;

	@AfterEach
	void stopEverything() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
		if (this.gateway != null) {
			this.gateway.stop(Duration.ofSeconds(5));
		}
		this.replica.close();
	}

	@Test
	void sigtermLetsShortStreamsFinishAndEndsLongOnesWithAnErrorEventAndDone() throws Exception {
		// Short: 10 tokens, 100 ms apart (done within the grace); long: 100 ms apart,
		// for a minute.
		AtomicBoolean longCancelled = new AtomicBoolean();
		this.replica.behave((request) -> {
			boolean isShort = request.getPrompt().equals("short");
			return Flux.interval(Duration.ofMillis(100))
				.take(isShort ? 9 : 600)
				.map((i) -> FakeReplica.token("t" + i))
				.concatWith(FakeReplica.tokens("end"))
				.doOnCancel(() -> longCancelled.compareAndSet(false, !isShort));
		});
		int port = FreePorts.find();
		startGateway(port);
		Exchange shortStream = stream(port, "short");
		Exchange longStream = stream(port, "long");
		assertThat(shortStream.next()).contains("\"text\":\"t0\"");
		assertThat(longStream.next()).contains("\"text\":\"t0\"");

		long sigterm = System.nanoTime();
		ProcessHandle.of(this.gateway.pid()).orElseThrow().destroy();

		await().atMost(Duration.ofSeconds(5)).until(() -> refusesConnections(port));
		CompletableFuture<String> shortRest = restOf(shortStream);
		CompletableFuture<String> longRest = restOf(longStream);
		assertThat(shortRest.get(10, TimeUnit.SECONDS)).contains("\"text\":\"end\"")
			.contains("\"finish_reason\":\"stop\"")
			.endsWith("data: [DONE]\n\n")
			.doesNotContain("\"error\"");
		String longEnd = longRest.get(20, TimeUnit.SECONDS);
		assertThat(longEnd).doesNotContain("\"text\":\"end\"")
			.endsWith("data: {\"error\":{\"message\":\"The gateway shut down before the generation finished; the "
					+ "output is incomplete\",\"type\":\"ServiceUnavailableError\",\"param\":null,\"code\":503}}\n\n"
					+ "data: [DONE]\n\n");
		assertThat(this.gateway.onExit().get(PHASE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
		assertThat(Duration.ofNanos(System.nanoTime() - sigterm)).as("SIGTERM to exit").isLessThan(PHASE_TIMEOUT);
		// The long generation was cancelled upstream, not left running.
		await().atMost(Duration.ofSeconds(5)).untilTrue(longCancelled);
	}

	private void startGateway(int port) throws Exception {
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				GatewayApplication.class.getName(), "--server.port=" + port, "--server.address=127.0.0.1",
				"--llmserve.gateway.routing.static.tinyllama=",
				"--llmserve.gateway.routing.static.solo=127.0.0.1:" + this.replica.port(),
				"--llmserve.gateway.shutdown.grace=" + GRACE.toMillis() + "ms",
				"--spring.lifecycle.timeout-per-shutdown-phase=" + PHASE_TIMEOUT.toMillis() + "ms");
		this.gateway = ManagedProcess.start(ProcessSpec.of("gateway", command));
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
			RawHttpClient.Response health = RawHttpClient.exchange(port, RawHttpClient
				.request("GET /actuator/health/readiness HTTP/1.1\nHost: x\nConnection: close", new byte[0]),
					Duration.ofSeconds(2));
			return health.status() == 200;
		});
	}

	private Exchange stream(int port, String prompt) throws IOException {
		byte[] body = ("{\"model\":\"solo\",\"prompt\":\"" + prompt + "\",\"stream\":true}")
			.getBytes(StandardCharsets.UTF_8);
		Exchange exchange = RawHttpClient.open(port,
				RawHttpClient.request("POST /v1/completions HTTP/1.1\nHost: x\nContent-Type: application/json\n"
						+ "Content-Length: " + body.length, body),
				Duration.ofSeconds(30), 0);
		this.resources.add(exchange);
		assertThat(exchange.head().status()).isEqualTo(200);
		return exchange;
	}

	private static CompletableFuture<String> restOf(Exchange exchange) {
		return CompletableFuture.supplyAsync(() -> {
			try {
				return exchange.rest();
			}
			catch (IOException ex) {
				throw new IllegalStateException("the stream was cut: " + ex.getMessage(), ex);
			}
		});
	}

	private static boolean refusesConnections(int port) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			return false;
		}
		catch (ConnectException ex) {
			return true;
		}
	}

}
