package dev.llmserve.gateway.shutdown;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Graceful shutdown ({@code llmserve.gateway.shutdown.*}).
 *
 * @param grace how long responses in flight may keep going after SIGTERM; then streams
 * end with an error event and {@code [DONE]}, and other responses with 503. Must be
 * shorter than {@code spring.lifecycle.timeout-per-shutdown-phase}, which cuts whatever
 * is still open
 */
@Validated
@ConfigurationProperties("llmserve.gateway.shutdown")
public record ShutdownProperties(@DefaultValue("25s") @NotNull Duration grace) {

	public ShutdownProperties {
		if (grace == null || grace.isNegative()) {
			throw new IllegalArgumentException("grace: %s (expected: >= 0)".formatted(grace));
		}
	}

}
