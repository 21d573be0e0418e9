package dev.llmserve.gateway.web;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How requests must arrive ({@code llmserve.gateway.request.*}).
 *
 * @param timeout the time from a request's headers to the last byte of its body; a
 * request that trickles in slower (or never ends) is answered 408 and its connection
 * closed
 */
@Validated
@ConfigurationProperties("llmserve.gateway.request")
public record RequestProperties(@DefaultValue("30s") @NotNull Duration timeout) {

	public RequestProperties {
		if (timeout == null || timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("timeout: %s (expected: > 0)".formatted(timeout));
		}
	}

}
