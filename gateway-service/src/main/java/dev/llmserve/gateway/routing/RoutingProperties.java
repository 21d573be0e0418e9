package dev.llmserve.gateway.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.validation.annotation.Validated;

/**
 * Routing settings ({@code llmserve.gateway.routing.*}).
 *
 * <p>
 * The static table maps a deployment to its replicas' gRPC addresses, either as one
 * comma-separated value
 * ({@code llmserve.gateway.routing.static.tinyllama=127.0.0.1:9101,127.0.0.1:9102}) or as
 * a YAML list. A deployment with an empty value has no replicas and is not served.
 *
 * @param staticReplicas deployment name to {@code host:port} addresses of its replicas
 * @param loadPollInterval how often every replica's {@code GetLoad} is called
 * @param loadPollTimeout the deadline of one {@code GetLoad} call
 * @param unhealthyCooldown how long a replica that could not be reached is skipped,
 * unless a load poll reaches it sooner
 */
@Validated
@ConfigurationProperties("llmserve.gateway.routing")
public record RoutingProperties(@Name("static") @DefaultValue Map<String, List<String>> staticReplicas,
		@DefaultValue("1s") @NotNull Duration loadPollInterval,
		@DefaultValue("500ms") @NotNull Duration loadPollTimeout,
		@DefaultValue("5s") @NotNull Duration unhealthyCooldown) {

	public RoutingProperties {
		requirePositive("loadPollInterval", loadPollInterval);
		requirePositive("loadPollTimeout", loadPollTimeout);
		if (unhealthyCooldown.isNegative()) {
			throw new IllegalArgumentException("unhealthyCooldown: %s (expected: >= 0)".formatted(unhealthyCooldown));
		}
	}

	private static void requirePositive(String name, Duration value) {
		if (value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException("%s: %s (expected: > 0)".formatted(name, value));
		}
	}

}
