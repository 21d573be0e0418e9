package dev.llmserve.controller.health;

import dev.llmserve.controller.deployments.DeploymentStore;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** Readiness: the controller serves once its deployment store is loaded. */
final class DeploymentsHealthIndicator implements HealthIndicator {

	private final DeploymentStore store;

	DeploymentsHealthIndicator(DeploymentStore store) {
		this.store = store;
	}

	@Override
	public Health health() {
		if (!this.store.isLoaded()) {
			return Health.outOfService().withDetail("store", this.store.path().toString()).build();
		}
		return Health.up()
			.withDetail("store", this.store.path().toString())
			.withDetail("deployments", this.store.list().size())
			.build();
	}

}
