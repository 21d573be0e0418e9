package dev.llmserve.controller.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ChildJarsTests {

	@TempDir
	Path repository;

	@Test
	void findsTheJarInTheBuildTreeOfTheControllerJar() throws IOException {
		Path gateway = jar("gateway-service/target/gateway-service.jar");

		Path found = ChildJars.resolve(null, "gateway-service", "llmserve.controller.local.gateway.jar",
				this.repository.resolve("controller-service/target/controller-service.jar"));

		assertThat(found).isEqualTo(gateway);
	}

	@Test
	void findsTheJarInTheBuildTreeOfTheControllerClasses() throws IOException {
		Path worker = jar("worker-agent/target/worker-agent.jar");

		Path found = ChildJars.resolve(null, "worker-agent", "llmserve.controller.local.workers.jar",
				this.repository.resolve("controller-service/target/classes"));

		assertThat(found).isEqualTo(worker);
	}

	@Test
	void theConfiguredJarWins() throws IOException {
		Path elsewhere = jar("elsewhere/gateway.jar");
		jar("gateway-service/target/gateway-service.jar");

		Path found = ChildJars.resolve(elsewhere, "gateway-service", "llmserve.controller.local.gateway.jar",
				this.repository.resolve("controller-service/target/controller-service.jar"));

		assertThat(found).isEqualTo(elsewhere);
	}

	@Test
	void aMissingJarFailsWithWhereItLookedAndHowToBuildIt() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ChildJars.resolve(null, "gateway-service", "llmserve.controller.local.gateway.jar",
					this.repository.resolve("controller-service/target/controller-service.jar")))
			.withMessageContaining(this.repository.resolve("gateway-service/target/gateway-service.jar").toString())
			.withMessageContaining("./mvnw -q -DskipTests package")
			.withMessageContaining("llmserve.controller.local.gateway.jar");
	}

	private Path jar(String path) throws IOException {
		Path jar = this.repository.resolve(path);
		Files.createDirectories(jar.getParent());
		return Files.writeString(jar, "PK");
	}

}
