package dev.llmserve.worker.registration;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Readiness: UP once the worker has registered with the controller at least once. A
 * controller that goes away later does not make the worker unready: its replicas keep
 * serving.
 */
final class RegistrationHealthIndicator implements HealthIndicator {

	private final RegistrationState state;

	private final String controller;

	RegistrationHealthIndicator(RegistrationState state, String controller) {
		this.state = state;
		this.controller = controller;
	}

	@Override
	public Health health() {
		Health.Builder health = this.state.hasRegistered() ? Health.up() : Health.down();
		health.withDetail("controller", this.controller).withDetail("failedAttempts", this.state.failedAttempts());
		if (this.state.address() != null) {
			health.withDetail("address", this.state.address());
		}
		if (this.state.lastContact() != null) {
			health.withDetail("controllerId", this.state.controllerId())
				.withDetail("lastContact", this.state.lastContact().toString());
		}
		return health.build();
	}

}
