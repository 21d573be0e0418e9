package dev.llmserve.gateway;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Edge settings of the gateway ({@code llmserve.gateway.*}).
 *
 * @param maxRequestSize the largest request body accepted; larger bodies get 413
 * @param retryAfter the {@code Retry-After} sent with 429 and 503 answers
 */
@Validated
@ConfigurationProperties("llmserve.gateway")
public record GatewayProperties(@DefaultValue("4MB") @NotNull DataSize maxRequestSize,
		@DefaultValue("1s") @NotNull Duration retryAfter) {

	public GatewayProperties {
		if (maxRequestSize.toBytes() <= 0 || maxRequestSize.toBytes() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(
					"maxRequestSize: %s (expected: > 0 and < 2GB)".formatted(maxRequestSize));
		}
	}

	/** The {@code Retry-After} header value, in whole seconds (at least 1). */
	public long retryAfterSeconds() {
		return Math.max(1, (this.retryAfter.toMillis() + 999) / 1000);
	}

}
