package dev.llmserve.gateway.web;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Clients that stop reading ({@code llmserve.gateway.slow-client.*}).
 *
 * @param stallTimeout how long a response may make no write progress (bytes waiting for
 * the connection and none of them leaving) before the connection is closed and the
 * generation cancelled upstream
 */
@Validated
@ConfigurationProperties("llmserve.gateway.slow-client")
public record SlowClientProperties(@DefaultValue("30s") @NotNull Duration stallTimeout) {

	public SlowClientProperties {
		if (stallTimeout == null || stallTimeout.isNegative() || stallTimeout.isZero()) {
			throw new IllegalArgumentException("stallTimeout: %s (expected: > 0)".formatted(stallTimeout));
		}
	}

	/**
	 * How often a response's progress is checked: a quarter of the timeout, at most 1s.
	 */
	Duration checkInterval() {
		Duration quarter = this.stallTimeout.dividedBy(4);
		return (quarter.compareTo(Duration.ofSeconds(1)) < 0) ? quarter : Duration.ofSeconds(1);
	}

}
