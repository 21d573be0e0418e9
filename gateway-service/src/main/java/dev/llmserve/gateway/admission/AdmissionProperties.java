package dev.llmserve.gateway.admission;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Admission control settings ({@code llmserve.gateway.admission.*}).
 *
 * <p>
 * A deployment admits at most {@code maxConcurrentPerReplica} requests per routable
 * replica at once; the rest wait in a FIFO queue of {@code queueFactor} times that
 * capacity, each for at most {@code maxWait}. The per-replica limit of a deployment is,
 * in order: the routing table's (the controller's {@code max_concurrent_per_replica},
 * when above 0), the deployment's entry under {@code deployments}, then
 * {@code maxConcurrentPerReplica}.
 *
 * @param maxConcurrentPerReplica concurrent requests per replica; 0 for no limit. The
 * default is vLLM's default {@code max_num_seqs}: more would only queue in the engine
 * @param queueFactor the queue's size as a multiple of the deployment's capacity; 0 for
 * no queue
 * @param maxWait how long a request may wait in the queue before it is answered 503
 * @param tick how often capacity is re-read without an event (a replica's cool-down
 * ending, a load poll finding it healthy again), so that queued requests see it
 * @param deployments settings of single deployments, by deployment name
 */
@Validated
@ConfigurationProperties("llmserve.gateway.admission")
public record AdmissionProperties(@DefaultValue("256") int maxConcurrentPerReplica,
		@DefaultValue("2") double queueFactor, @DefaultValue("5s") @NotNull Duration maxWait,
		@DefaultValue("250ms") @NotNull Duration tick, @DefaultValue Map<String, @Valid Deployment> deployments) {

	public AdmissionProperties {
		requireLimit("maxConcurrentPerReplica", maxConcurrentPerReplica);
		requireFactor("queueFactor", queueFactor);
		requirePositive("maxWait", maxWait);
		requirePositive("tick", tick);
		deployments = Map.copyOf(deployments);
	}

	/**
	 * The limits of a deployment whose routing table entry says
	 * {@code tableMaxConcurrentPerReplica} (0: nothing).
	 */
	DeploymentLimits limits(String deployment, int tableMaxConcurrentPerReplica) {
		Deployment own = this.deployments.get(deployment);
		int perReplica = (tableMaxConcurrentPerReplica > 0) ? tableMaxConcurrentPerReplica
				: (own != null && own.maxConcurrentPerReplica() != null) ? own.maxConcurrentPerReplica()
						: this.maxConcurrentPerReplica;
		double factor = (own != null && own.queueFactor() != null) ? own.queueFactor() : this.queueFactor;
		Duration wait = (own != null && own.maxWait() != null) ? own.maxWait() : this.maxWait;
		return new DeploymentLimits(perReplica, factor, wait);
	}

	private static void requireLimit(String name, int value) {
		if (value < 0) {
			throw new IllegalArgumentException("%s: %d (expected: >= 0, 0 for no limit)".formatted(name, value));
		}
	}

	private static void requireFactor(String name, double value) {
		if (!(value >= 0 && value <= 1000)) {
			throw new IllegalArgumentException("%s: %s (expected: 0..1000)".formatted(name, value));
		}
	}

	private static void requirePositive(String name, Duration value) {
		if (value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException("%s: %s (expected: > 0)".formatted(name, value));
		}
	}

	/**
	 * Settings of one deployment
	 * ({@code llmserve.gateway.admission.deployments.<name>.*}); what is left unset comes
	 * from the global settings.
	 *
	 * @param maxConcurrentPerReplica concurrent requests per replica (0: no limit),
	 * unless the routing table sets it
	 * @param queueFactor the queue's size as a multiple of the deployment's capacity
	 * @param maxWait how long a request may wait in the queue
	 */
	public record Deployment(Integer maxConcurrentPerReplica, Double queueFactor, Duration maxWait) {

		public Deployment {
			if (maxConcurrentPerReplica != null) {
				requireLimit("maxConcurrentPerReplica", maxConcurrentPerReplica);
			}
			if (queueFactor != null) {
				requireFactor("queueFactor", queueFactor);
			}
			if (maxWait != null) {
				requirePositive("maxWait", maxWait);
			}
		}

	}

}
