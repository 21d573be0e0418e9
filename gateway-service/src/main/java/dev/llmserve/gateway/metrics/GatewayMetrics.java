package dev.llmserve.gateway.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;

import dev.llmserve.proto.GenerateChunk;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;

/**
 * Request-path metrics, tagged by deployment (and outcome or token kind): see
 * {@link DeploymentMeters} and docs/metrics.md. One {@link RequestRecorder} per request.
 */
public final class GatewayMetrics {

	private final MeterRegistry registry;

	private final Predicate<String> routable;

	private final ConcurrentMap<String, DeploymentMeters> meters = new ConcurrentHashMap<>();

	/**
	 * @param registry where the meters go
	 * @param routable whether the gateway routes to a deployment: only those get their
	 * own tag
	 */
	public GatewayMetrics(MeterRegistry registry, Predicate<String> routable) {
		this.registry = registry;
		this.routable = routable;
	}

	/** Measures a request accepted now. */
	public RequestRecorder request() {
		return new RequestRecorder(this);
	}

	/** Measures a generation of a deployment outside any request of a handler. */
	public Flux<GenerateChunk> instrument(String deployment, Flux<GenerateChunk> chunks) {
		return Flux.defer(() -> request().deployment(deployment).generation(chunks));
	}

	DeploymentMeters metersFor(String deployment) {
		DeploymentMeters known = this.meters.get(deployment);
		if (known != null) {
			return known;
		}
		String tag = this.routable.test(deployment) ? deployment : DeploymentMeters.UNKNOWN;
		return this.meters.computeIfAbsent(tag, (name) -> new DeploymentMeters(this.registry, name));
	}

}
