package dev.llmserve.systemtests;

import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code docker compose up} and the README's first request: the whole stack from
 * docker-compose.yml (images built from the jars the build left in each module's target
 * directory), every service healthy, then the seed's plain-text request streamed through
 * the gateway. Needs a Docker engine with the compose plugin; skipped where there is none
 * (as in CI, where {@link ComposeFileTests} checks the files instead).
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackIntegrationTests {

	private static final Duration STARTUP = Duration.ofMinutes(5);

	@Container
	static final ComposeContainer stack = new ComposeContainer(
			new File(ServiceProcess.root().resolve("docker-compose.yml").toString()))
		.withLocalCompose(true)
		.withBuild(true)
		.withExposedService("controller", 8080, Wait.forHealthcheck().withStartupTimeout(STARTUP))
		.withExposedService("gateway", 8000, Wait.forHealthcheck().withStartupTimeout(STARTUP))
		.withExposedService("worker-1", 9301, Wait.forHealthcheck().withStartupTimeout(STARTUP))
		.withExposedService("worker-2", 9301, Wait.forHealthcheck().withStartupTimeout(STARTUP))
		.withExposedService("prometheus", 9090, Wait.forHealthcheck().withStartupTimeout(STARTUP))
		.withExposedService("grafana", 3000, Wait.forHealthcheck().withStartupTimeout(STARTUP));

	@Test
	void theSeedRequestStreamsThroughTheGateway() {
		URI uri = URI.create("http://" + stack.getServiceHost("gateway", 8000) + ":"
				+ stack.getServicePort("gateway", 8000) + "/v1/chat/tinyllama");
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString("What is machine learning?"))
			.build();
		// The gateway is healthy once it has a snapshot; the seed's replicas may still be
		// starting.
		await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
			HttpResponse<String> response = ServiceProcess.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			assertThat(response.body()).isNotBlank();
		});
	}

}
