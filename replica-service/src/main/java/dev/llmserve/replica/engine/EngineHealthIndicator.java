package dev.llmserve.replica.engine;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * UP while the engine serves. Part of the readiness group, so the replica is ready only
 * once its engine answered {@code /health}, and stops being ready when it dies.
 */
final class EngineHealthIndicator implements HealthIndicator {

	private final EngineState state;

	private final EngineEndpoint endpoint;

	EngineHealthIndicator(EngineState state, EngineEndpoint endpoint) {
		this.state = state;
		this.endpoint = endpoint;
	}

	@Override
	public Health health() {
		Health.Builder health = this.state.isReady() ? Health.up() : Health.down();
		health.withDetail("phase", this.state.phase()).withDetail("url", this.endpoint.baseUrl());
		if (this.state.pid() > 0) {
			health.withDetail("pid", this.state.pid());
		}
		if (this.state.exitCode() != null) {
			health.withDetail("exitCode", this.state.exitCode());
		}
		return health.build();
	}

}
