package dev.llmserve.gateway.upstream;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Calls to replicas ({@code llmserve.gateway.upstream.*}).
 *
 * @param requestTimeout the gRPC deadline of one {@code Generate} call
 * @param firstChunkTimeout how long to wait for the first chunk of a call
 * @param maxAttempts replicas tried per request when a call fails {@code UNAVAILABLE}
 * before its first chunk
 * @param prefetch chunks requested ahead from a replica; bounds what a slow client makes
 * the gateway hold
 * @param keepAliveTime HTTP/2 ping interval on channels with open calls
 * @param keepAliveTimeout how long a ping may go unanswered before the channel is closed
 */
@Validated
@ConfigurationProperties("llmserve.gateway.upstream")
public record UpstreamProperties(@DefaultValue("10m") @NotNull Duration requestTimeout,
		@DefaultValue("60s") @NotNull Duration firstChunkTimeout, @DefaultValue("2") @Min(1) @Max(10) int maxAttempts,
		@DefaultValue("16") @Min(2) @Max(1024) int prefetch, @DefaultValue("30s") @NotNull Duration keepAliveTime,
		@DefaultValue("10s") @NotNull Duration keepAliveTimeout) {

	public UpstreamProperties {
		requirePositive("requestTimeout", requestTimeout);
		requirePositive("firstChunkTimeout", firstChunkTimeout);
		requirePositive("keepAliveTime", keepAliveTime);
		requirePositive("keepAliveTimeout", keepAliveTimeout);
	}

	private static void requirePositive(String name, Duration value) {
		if (value == null || value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException("%s: %s (expected: > 0)".formatted(name, value));
		}
	}

}
