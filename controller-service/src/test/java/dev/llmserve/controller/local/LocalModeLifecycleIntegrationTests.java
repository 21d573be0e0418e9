package dev.llmserve.controller.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.llmserve.controller.local.supervision.StandInChildren;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Local mode as the controller runs it, with a stand-in {@code java} that runs a stand-in
 * service on the {@code --server.port} it is given: children start once the controller is
 * ready and are gone once its context is closed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalModeLifecycleIntegrationTests {

	@TempDir
	Path dir;

	private StandInChildren children;

	@BeforeEach
	void prepare() {
		this.children = new StandInChildren(this.dir);
	}

	@AfterEach
	void killLeftovers() {
		this.children.close();
	}

	@Test
	void startsTheGatewayAndTheWorkersWhenReadyAndStopsThemWhenClosed() throws IOException {
		new ApplicationContextRunner().withUserConfiguration(LocalModeConfiguration.class)
			.withPropertyValues(properties())
			.run((context) -> {
				assertThat(this.children.running()).isEmpty();

				context.publishEvent(new ApplicationReadyEvent(new SpringApplication(), new String[0],
						context.getSourceApplicationContext(), Duration.ZERO));

				HealthIndicator health = context.getBean("localProcessesHealthIndicator", HealthIndicator.class);
				await().atMost(Duration.ofSeconds(15))
					.until(() -> health.health().getStatus() == Status.UP && health.health().getDetails().size() == 3);
				Health up = health.health();
				assertThat(up.getDetails()).containsOnlyKeys("gateway", "local-0", "local-1");
				assertThat(this.children.running()).hasSize(3);
			});

		assertThat(this.children.running()).isEmpty();
	}

	private String[] properties() throws IOException {
		Path gateway = Files.writeString(this.dir.resolve("gateway.jar"), "PK");
		Path worker = Files.writeString(this.dir.resolve("worker.jar"), "PK");
		return new String[] { "llmserve.controller.data-dir=" + this.dir.resolve("data"),
				"llmserve.controller.local.java=" + standInJava(), "llmserve.controller.local.gateway.jar=" + gateway,
				"llmserve.controller.local.gateway.port=0", "llmserve.controller.local.gateway.fast-start=false",
				"llmserve.controller.local.workers.jar=" + worker, "llmserve.controller.local.workers.base-port=0",
				"llmserve.controller.local.health.interval=100ms", "llmserve.controller.local.health.timeout=500ms",
				"llmserve.controller.local.stop-grace=3s" };
	}

	/**
	 * Runs the stand-in service on the port in {@code --server.port=}, as java would run
	 * the service.
	 */
	private Path standInJava() throws IOException {
		String command = String.join(" ", this.children.command(0, false)).replace("--port 0", "--port \"$port\"");
		Path java = this.dir.resolve("java");
		Files.writeString(java, """
				#!/bin/sh
				for argument in "$@"; do
				  case "$argument" in --server.port=*) port="${argument#--server.port=}";; esac
				done
				exec %s
				""".formatted(command));
		Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
		return java;
	}

}
