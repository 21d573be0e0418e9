package dev.llmserve.controller.deployments;

import dev.llmserve.controller.ControllerProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The deployment store, loaded (and seeded) before anything else uses it. */
@Configuration(proxyBeanMethods = false)
class DeploymentsConfiguration {

	static final String FILE_NAME = "deployments.json";

	@Bean
	DeploymentStore deploymentStore(ControllerProperties controller, DeploymentsProperties properties) {
		return DeploymentStore.open(controller.dataDir().resolve(FILE_NAME), properties.seeds());
	}

	@Bean
	MeterBinder deploymentMeters(DeploymentStore store) {
		return (registry) -> Gauge
			.builder("llmserve.controller.deployments", store, (deployments) -> deployments.list().size())
			.description("Deployments in the desired state, deleted ones still draining included")
			.register(registry);
	}

	@Bean
	DeploymentConditions deploymentConditions() {
		return new DeploymentConditions();
	}

}
