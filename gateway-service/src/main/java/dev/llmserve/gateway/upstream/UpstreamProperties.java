package dev.llmserve.gateway.upstream;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
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
 * @param firstChunkTimeout how long to wait for the first chunk of a call; past it the
 * call is cancelled and tried on another replica
 * @param stallTimeout how long a call may go without a chunk once it has sent one; past
 * it the call is cancelled and the generation continued elsewhere (a replica that hung
 * mid-stream)
 * @param maxAttempts replicas tried per request when a call fails {@code UNAVAILABLE} or
 * sends no first chunk in time
 * @param prefetch chunks requested ahead from a replica; bounds what a slow client makes
 * the gateway hold
 * @param keepAliveTime HTTP/2 ping interval on channels with open calls
 * @param keepAliveTimeout how long a ping may go unanswered before the channel is closed
 * @param failover continuing a generation on another replica after tokens were sent
 */
@Validated
@ConfigurationProperties("llmserve.gateway.upstream")
public record UpstreamProperties(@DefaultValue("10m") @NotNull Duration requestTimeout,
		@DefaultValue("30s") @NotNull Duration firstChunkTimeout, @DefaultValue("30s") @NotNull Duration stallTimeout,
		@DefaultValue("2") @Min(1) @Max(10) int maxAttempts, @DefaultValue("16") @Min(2) @Max(1024) int prefetch,
		@DefaultValue("30s") @NotNull Duration keepAliveTime, @DefaultValue("10s") @NotNull Duration keepAliveTimeout,
		@DefaultValue @Valid Failover failover) {

	public UpstreamProperties {
		requirePositive("requestTimeout", requestTimeout);
		requirePositive("firstChunkTimeout", firstChunkTimeout);
		requirePositive("stallTimeout", stallTimeout);
		requirePositive("keepAliveTime", keepAliveTime);
		requirePositive("keepAliveTimeout", keepAliveTimeout);
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts: %d (expected: > 0)".formatted(maxAttempts));
		}
	}

	private static void requirePositive(String name, Duration value) {
		if (value == null || value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException("%s: %s (expected: > 0)".formatted(name, value));
		}
	}

	/**
	 * Mid-stream failover ({@code llmserve.gateway.upstream.failover.*}): when a replica
	 * fails after tokens were sent, the generation goes on on another replica from the
	 * original prompt plus the text sent so far, with the rest of the token budget.
	 *
	 * @param midStream whether it is on, for deployments not in {@code deployments}
	 * @param maxResumes how many times one generation may be continued elsewhere
	 * @param deployments deployment name to whether it is on for that deployment
	 */
	public record Failover(@DefaultValue("true") boolean midStream, @DefaultValue("2") @Min(0) @Max(10) int maxResumes,
			@DefaultValue Map<String, Boolean> deployments) {

		/** Failover on, at most twice per generation, for every deployment. */
		public static final Failover DEFAULTS = new Failover(true, 2, Map.of());

		public Failover {
			deployments = Map.copyOf(deployments);
			if (maxResumes < 0) {
				throw new IllegalArgumentException("failover.maxResumes: %d (expected: >= 0)".formatted(maxResumes));
			}
		}

		/** Whether a generation of the deployment is continued elsewhere. */
		public boolean midStreamFor(String deployment) {
			return this.maxResumes > 0 && this.deployments.getOrDefault(deployment, this.midStream);
		}

	}

}
