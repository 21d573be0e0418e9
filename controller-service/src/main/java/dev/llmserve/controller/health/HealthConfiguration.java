package dev.llmserve.controller.health;

import dev.llmserve.controller.cluster.ClusterState;
import dev.llmserve.controller.cluster.ClusterSync;
import dev.llmserve.controller.deployments.DeploymentStore;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health indicators: {@code deployments} (in the readiness group) and {@code cluster}
 * (informational).
 */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration {

	@Bean
	DeploymentsHealthIndicator deploymentsHealthIndicator(DeploymentStore store) {
		return new DeploymentsHealthIndicator(store);
	}

	@Bean
	ClusterHealthIndicator clusterHealthIndicator(ClusterState cluster, ClusterSync sync) {
		return new ClusterHealthIndicator(cluster, sync);
	}

}
