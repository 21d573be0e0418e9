package dev.llmserve.controller.deployments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.llmserve.controller.ControllerProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/** The store as configured by {@code application.yml} and its overrides. */
class DeploymentsConfigurationTests {

	@TempDir
	Path dataDir;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withInitializer(new ConfigDataApplicationContextInitializer())
			.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
			.withUserConfiguration(Config.class)
			.withPropertyValues("llmserve.controller.data-dir=" + this.dataDir);
	}

	@Test
	void seedsTinyllamaIntoAStoreThatNeverHeldIt() {
		runner().run((context) -> assertThat(context.getBean(DeploymentStore.class).list())
			.containsExactly(new Deployment("tinyllama", "TinyLlama/TinyLlama-1.1B-Chat-v1.0",
					new Engine("sim", "tinyllama-a10g", List.of()), 1, 2, 256, 30, false)));
	}

	@Test
	void anEmptyDeploymentsPropertySeedsNothing() {
		runner().withPropertyValues("llmserve.controller.deployments=")
			.run((context) -> assertThat(context.getBean(DeploymentStore.class).list()).isEmpty());
	}

	@Test
	void seedingCanBeSwitchedOff() {
		runner().withPropertyValues("llmserve.controller.seed-deployments=false")
			.run((context) -> assertThat(context.getBean(DeploymentStore.class).list()).isEmpty());
	}

	@Test
	void seedsComeFromIndexedProperties() {
		runner()
			.withPropertyValues("llmserve.controller.deployments[0].name=mine",
					"llmserve.controller.deployments[0].model=some/model",
					"llmserve.controller.deployments[0].engine.kind=vllm",
					"llmserve.controller.deployments[0].engine.args=--max-model-len,4096",
					"llmserve.controller.deployments[0].gpus-per-replica=2")
			.run((context) -> assertThat(context.getBean(DeploymentStore.class).list())
				.containsExactly(new Deployment("mine", "some/model",
						new Engine("vllm", "", List.of("--max-model-len", "4096")), 2, 1, 0, 30, false)));
	}

	@Test
	void anInvalidSeedStopsStartupNamingTheField() {
		runner()
			.withPropertyValues("llmserve.controller.deployments[0].name=bad",
					"llmserve.controller.deployments[0].model=m", "llmserve.controller.deployments[0].engine.kind=sim",
					"llmserve.controller.deployments[0].engine.profile=nope")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("deployments[0].engine.profile"));
	}

	@Test
	void aCorruptStoreStopsStartupNamingTheFile() throws IOException {
		Path file = this.dataDir.resolve("deployments.json");
		Files.writeString(file, "[]");

		runner().run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.hasStackTraceContaining("The deployment store " + file + " is corrupt"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ ControllerProperties.class, DeploymentsProperties.class })
	@Import(DeploymentsConfiguration.class)
	static class Config {

	}

}
