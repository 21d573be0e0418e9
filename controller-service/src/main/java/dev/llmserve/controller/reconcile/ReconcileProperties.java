package dev.llmserve.controller.reconcile;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the reconciler converges ({@code llmserve.controller.reconcile.*}).
 *
 * @param interval how often it runs without an event
 * @param startTimeout how long a replica it asked a worker to start may stay unreported
 * before it is given up (and placed again)
 * @param drainPropagationDelay how long a replica is DRAINING in the routing snapshot
 * before it is stopped, so that gateways stop sending it requests first
 * @param failedReplicaTimeout how long a replica may stay FAILED (its worker restarting
 * it) before the controller stops it and places another
 * @param retryInterval how long after a failed call a worker is not asked again (a failed
 * StartReplica pauses placement there; a failed StopReplica is sent again)
 */
@Validated
@ConfigurationProperties("llmserve.controller.reconcile")
public record ReconcileProperties(@DefaultValue("1s") @NotNull Duration interval,
		@DefaultValue("30s") @NotNull Duration startTimeout,
		@DefaultValue("1s") @NotNull Duration drainPropagationDelay,
		@DefaultValue("60s") @NotNull Duration failedReplicaTimeout,
		@DefaultValue("5s") @NotNull Duration retryInterval) {

	public ReconcileProperties {
		if (interval.isZero() || interval.isNegative()) {
			throw new IllegalArgumentException("interval: %s (expected: > 0)".formatted(interval));
		}
		requireNotNegative("startTimeout", startTimeout);
		requireNotNegative("drainPropagationDelay", drainPropagationDelay);
		requireNotNegative("failedReplicaTimeout", failedReplicaTimeout);
		requireNotNegative("retryInterval", retryInterval);
	}

	private static void requireNotNegative(String name, Duration value) {
		if (value.isNegative()) {
			throw new IllegalArgumentException("%s: %s (expected: >= 0)".formatted(name, value));
		}
	}

}
