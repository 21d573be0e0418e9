package dev.llmserve.gateway.upstream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.llmserve.gateway.routing.Replica;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counters of the calls to replicas, cached per deployment or replica (one map lookup per
 * event): {@code llmserve.gateway.routed} (deployment, replica: calls sent to each
 * replica, retries and continuations included), {@code llmserve.gateway.retries}
 * (deployment: calls retried on another replica before the first token, which the client
 * never sees) and {@code llmserve.gateway.failovers} (deployment, phase
 * {@code mid_stream}: generations continued on another replica after tokens were sent;
 * counted when attempted, even if no replica is left to take it).
 */
final class UpstreamMetrics {

	static final String MID_STREAM = "mid_stream";

	private final MeterRegistry registry;

	private final Map<String, Counter> routed = new ConcurrentHashMap<>();

	private final Map<String, Counter> retries = new ConcurrentHashMap<>();

	private final Map<String, Counter> failovers = new ConcurrentHashMap<>();

	UpstreamMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void routed(Replica replica) {
		Counter counter = this.routed.get(replica.id());
		if (counter == null) {
			// A deployment's retry and failover counters exist (at 0) from its first call
			// on,
			// so that a dashboard's rate() shows 0 rather than no data.
			retries(replica.deployment());
			failovers(replica.deployment());
			counter = this.routed.computeIfAbsent(replica.id(),
					(id) -> Counter.builder("llmserve.gateway.routed")
						.description("Calls the balancer sent to each replica, retries and continuations included")
						.tag("deployment", replica.deployment())
						.tag("replica", id)
						.register(this.registry));
		}
		counter.increment();
	}

	void retried(String deployment) {
		retries(deployment).increment();
	}

	void failedOver(String deployment) {
		failovers(deployment).increment();
	}

	private Counter retries(String deployment) {
		return this.retries.computeIfAbsent(deployment,
				(name) -> Counter.builder("llmserve.gateway.retries")
					.description("Calls retried on another replica before their first token")
					.tag("deployment", name)
					.register(this.registry));
	}

	private Counter failovers(String deployment) {
		return this.failovers.computeIfAbsent(deployment,
				(name) -> Counter.builder("llmserve.gateway.failovers")
					.description("Generations continued on another replica after tokens were sent")
					.tag("deployment", name)
					.tag("phase", MID_STREAM)
					.register(this.registry));
	}

}
