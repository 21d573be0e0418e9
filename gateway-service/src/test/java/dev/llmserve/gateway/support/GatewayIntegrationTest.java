package dev.llmserve.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway on a random port, routing to fake replicas on loopback that every test
 * controls: {@code tinyllama} has two ({@link #A}, {@link #B}), {@code solo} one
 * ({@link #SOLO}) and {@code ghost} one at a port where nothing listens. Metrics export
 * and tracing are on, as in production. All subclasses share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
public abstract class GatewayIntegrationTest {

	protected static final Duration TIMEOUT = Duration.ofSeconds(10);

	protected static final FakeReplica A = FakeReplica.onFreePort();

	protected static final FakeReplica B = FakeReplica.onFreePort();

	protected static final FakeReplica SOLO = FakeReplica.onFreePort();

	private static final int NOTHING_LISTENS = closedPort();

	@Autowired
	private WebTestClient webTestClient;

	@LocalServerPort
	protected int port;

	@DynamicPropertySource
	static void routeToFakeReplicas(DynamicPropertyRegistry registry) {
		registry.add("llmserve.gateway.routing.static.tinyllama",
				() -> "127.0.0.1:" + A.port() + ",127.0.0.1:" + B.port());
		registry.add("llmserve.gateway.routing.static.solo", () -> "127.0.0.1:" + SOLO.port());
		registry.add("llmserve.gateway.routing.static.ghost", () -> "127.0.0.1:" + NOTHING_LISTENS);
		// Tests must not depend on one another through a replica's ejection.
		registry.add("llmserve.gateway.routing.ejection.enabled", () -> "false");
		registry.add("llmserve.gateway.upstream.first-chunk-timeout", () -> "1s");
		registry.add("llmserve.gateway.max-request-size", () -> "64KB");
		registry.add("llmserve.gateway.request.timeout", () -> "2s");
		registry.add("llmserve.gateway.slow-client.stall-timeout", () -> "2s");
	}

	@BeforeEach
	void resetReplicas() {
		A.reset();
		B.reset();
		SOLO.reset();
	}

	protected WebTestClient client() {
		return this.webTestClient.mutate().responseTimeout(TIMEOUT).build();
	}

	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
