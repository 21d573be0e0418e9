package dev.llmserve.controller.cluster;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the controller follows its workers ({@code llmserve.controller.cluster.*}).
 *
 * @param heartbeatInterval how often workers heartbeat (told to them at registration)
 * @param missedHeartbeats heartbeats a worker may miss before it is probed
 * @param probeTimeout the deadline of the probe ({@code ListReplicas}) of a silent worker
 * @param workerCallTimeout the deadline of {@code StartReplica} and {@code StopReplica}
 * @param startupGrace how long after a start nothing is placed, stopped or published
 * while workers re-register; default 3 heartbeat intervals + 2 s (workers retry at least
 * once a heartbeat interval)
 */
@Validated
@ConfigurationProperties("llmserve.controller.cluster")
public record ClusterProperties(@DefaultValue("1s") @NotNull Duration heartbeatInterval,
		@DefaultValue("3") @Min(1) int missedHeartbeats, @DefaultValue("1s") @NotNull Duration probeTimeout,
		@DefaultValue("10s") @NotNull Duration workerCallTimeout, Duration startupGrace) {

	public ClusterProperties {
		requirePositive("heartbeatInterval", heartbeatInterval);
		requirePositive("probeTimeout", probeTimeout);
		requirePositive("workerCallTimeout", workerCallTimeout);
		if (startupGrace == null) {
			startupGrace = heartbeatInterval.multipliedBy(3).plusSeconds(2);
		}
		if (startupGrace.isNegative()) {
			throw new IllegalArgumentException("startupGrace: %s (expected: >= 0)".formatted(startupGrace));
		}
	}

	/** How long a worker may stay silent before it is probed. */
	public Duration silenceBeforeProbe() {
		return this.heartbeatInterval.multipliedBy(this.missedHeartbeats);
	}

	private static void requirePositive(String name, Duration value) {
		if (value == null || value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException("%s: %s (expected: > 0)".formatted(name, value));
		}
	}

}
