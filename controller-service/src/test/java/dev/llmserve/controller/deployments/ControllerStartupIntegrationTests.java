package dev.llmserve.controller.deployments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.llmserve.controller.ControllerApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The whole controller started and stopped as its users do, on one data directory. */
class ControllerStartupIntegrationTests {

	@TempDir
	Path dataDir;

	@Test
	void deploymentsSurviveARestart() {
		try (ConfigurableApplicationContext first = start("--llmserve.controller.seed-deployments=false")) {
			http(first).post()
				.uri("/api/v1/deployments")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue("""
						{"name":"kept","model":"m","engine":{"kind":"sim","profile":"instant"},"replicas":3}""")
				.exchange()
				.expectStatus()
				.isCreated();
		}

		try (ConfigurableApplicationContext second = start("--llmserve.controller.seed-deployments=false")) {
			http(second).get()
				.uri("/api/v1/deployments/kept")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.deployment.replicas")
				.isEqualTo(3);
		}
	}

	@Test
	void aCorruptStoreStopsStartupNamingTheFile() throws IOException {
		Path file = this.dataDir.resolve("deployments.json");
		Files.writeString(file, "{\"version\":1,\"deployments\":[oops");

		assertThatThrownBy(() -> start().close()).hasStackTraceContaining(
				DeploymentStoreException.class.getName() + ": The deployment store " + file + " is corrupt");
		assertThat(Files.readString(file)).isEqualTo("{\"version\":1,\"deployments\":[oops");
	}

	private ConfigurableApplicationContext start(String... extra) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.grpc.server.port=0",
				"--spring.reactor.netty.shutdown-quiet-period=0s", "--llmserve.controller.local.enabled=false",
				"--llmserve.controller.data-dir=" + this.dataDir));
		args.addAll(List.of(extra));
		return new SpringApplicationBuilder(ControllerApplication.class).run(args.toArray(String[]::new));
	}

	private static WebTestClient http(ConfigurableApplicationContext context) {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"))
			.build();
	}

}
