package dev.llmserve.controller.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.llmserve.controller.local.supervision.ProcessSupervisor;
import dev.llmserve.controller.nodes.NodeProvisioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class LocalModeConfigurationTests {

	@TempDir
	Path dir;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(LocalModeConfiguration.class);

	@Test
	void runsTheGatewayAndTwoWorkersByDefault() throws IOException {
		this.runner.withPropertyValues(jars()).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(NodeProvisioner.class).hasSingleBean(LocalModeLifecycle.class);
			LocalProperties properties = context.getBean(LocalProperties.class);
			assertThat(properties.gateway().port()).isEqualTo(8000);
			assertThat(properties.workers().count()).isEqualTo(2);
			assertThat(properties.workers().basePort()).isEqualTo(9300);
			assertThat(properties.workers().gpus()).isEqualTo(2);
			assertThat(properties.health().interval()).isEqualTo(Duration.ofSeconds(1));
			assertThat(properties.health().timeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(properties.health().failureThreshold()).isEqualTo(3);
			assertThat(properties.health().unresponsiveTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.gateway().jvmOptions()).containsExactly("-Xms256m", "-Xmx1g",
					"-XX:+ExitOnOutOfMemoryError");
			assertThat(properties.workers().jvmOptions()).containsExactly("-Xmx512m", "-XX:+ExitOnOutOfMemoryError");
			assertThat(properties.gateway().fastStart()).isTrue();
			assertThat(properties.stopGrace()).isEqualTo(Duration.ofSeconds(20));
		});
	}

	@Test
	void reportsEachChildUnderLocalProcessesHealth() throws IOException {
		this.runner.withPropertyValues(jars()).run((context) -> {
			HealthIndicator indicator = context.getBean("localProcessesHealthIndicator", HealthIndicator.class);
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void canBeTurnedOff() {
		this.runner.withPropertyValues("llmserve.controller.local.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(NodeProvisioner.class).doesNotHaveBean(ProcessSupervisor.class);
		});
	}

	@Test
	void failsToStartWithoutTheJarsAndSaysToBuildThemFirst() {
		this.runner
			.withPropertyValues("llmserve.controller.data-dir=" + this.dir,
					"llmserve.controller.local.gateway.jar=" + this.dir.resolve("missing.jar"))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("./mvnw -q -DskipTests package")
				.hasMessageContaining("missing.jar"));
	}

	private String[] jars() throws IOException {
		Path gateway = Files.writeString(this.dir.resolve("gateway.jar"), "PK");
		Path worker = Files.writeString(this.dir.resolve("worker.jar"), "PK");
		return new String[] { "llmserve.controller.data-dir=" + this.dir.resolve("data"),
				"llmserve.controller.local.gateway.jar=" + gateway, "llmserve.controller.local.workers.jar=" + worker };
	}

}
