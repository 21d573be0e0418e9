package dev.llmserve.replica;

import java.time.Duration;

import dev.llmserve.replica.engine.EngineKind;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicaPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void defaultsRunTheSimulatorLocally() {
		this.runner.run((context) -> {
			ReplicaProperties properties = context.getBean(ReplicaProperties.class);
			assertThat(properties.engine().kind()).isEqualTo(EngineKind.SIM);
			assertThat(properties.engine().python()).isEqualTo("python3");
			assertThat(properties.engine().args()).isEmpty();
			assertThat(properties.engine().port()).isZero();
			assertThat(properties.engine().startupTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.bridge().responseTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.load().interval()).isEqualTo(Duration.ofSeconds(1));
			assertThat(properties.servedModelName()).isEqualTo(properties.deployment());
		});
	}

	@Test
	void vllmGetsALongStartupTimeoutAndTheConfiguredGpusAndArgs() {
		this.runner.withPropertyValues("llmserve.replica.deployment=llama", "llmserve.replica.engine.kind=vllm",
				"llmserve.replica.engine.served-model-name=llama-3", "llmserve.replica.engine.cuda-visible-devices=1",
				"llmserve.replica.engine.args=--max-model-len,4096")
			.run((context) -> {
				ReplicaProperties properties = context.getBean(ReplicaProperties.class);
				assertThat(properties.engine().kind()).isEqualTo(EngineKind.VLLM);
				assertThat(properties.engine().startupTimeout()).isEqualTo(Duration.ofMinutes(20));
				assertThat(properties.engine().cudaVisibleDevices()).isEqualTo("1");
				assertThat(properties.engine().args()).containsExactly("--max-model-len", "4096");
				assertThat(properties.servedModelName()).isEqualTo("llama-3");
			});
	}

	@Test
	void refusesAnImpossibleEnginePort() {
		this.runner.withPropertyValues("llmserve.replica.engine.port=70000")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("llmserve.replica.engine.port"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ReplicaProperties.class)
	static class PropertiesConfiguration {

	}

}
