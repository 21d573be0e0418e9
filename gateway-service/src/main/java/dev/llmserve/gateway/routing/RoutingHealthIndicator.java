package dev.llmserve.gateway.routing;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Readiness: the gateway can serve only once its table source says so
 * ({@link RoutingTableSource#isReady()}: static routes with a replica, or a snapshot from
 * the controller).
 */
final class RoutingHealthIndicator implements HealthIndicator {

	private final RoutingTableSource source;

	RoutingHealthIndicator(RoutingTableSource source) {
		this.source = source;
	}

	@Override
	public Health health() {
		RoutingTable table = this.source.current();
		Health.Builder builder = this.source.isReady() ? Health.up() : Health.down();
		return builder.withDetail("version", table.version())
			.withDetail("deployments", table.deploymentNames())
			.withDetail("replicas", table.allReplicas().size())
			.build();
	}

}
