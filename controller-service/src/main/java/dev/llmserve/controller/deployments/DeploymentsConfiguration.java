package dev.llmserve.controller.deployments;

import dev.llmserve.controller.ControllerProperties;

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
	DeploymentConditions deploymentConditions() {
		return new DeploymentConditions();
	}

}
