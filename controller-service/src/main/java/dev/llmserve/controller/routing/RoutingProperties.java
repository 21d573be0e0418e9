package dev.llmserve.controller.routing;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How routing snapshots are published ({@code llmserve.controller.routing.*}).
 *
 * @param coalesce changes within this window make one snapshot
 * @param loadPublishInterval a snapshot whose only news is replica loads waits until this
 * long after the previous one (gateways poll loads themselves; these are informational)
 */
@Validated
@ConfigurationProperties("llmserve.controller.routing")
public record RoutingProperties(@DefaultValue("100ms") @NotNull Duration coalesce,
		@DefaultValue("1s") @NotNull Duration loadPublishInterval) {

	public RoutingProperties {
		if (coalesce.isNegative() || loadPublishInterval.isNegative()) {
			throw new IllegalArgumentException(
					"coalesce: %s, loadPublishInterval: %s (expected: >= 0)".formatted(coalesce, loadPublishInterval));
		}
	}

}
