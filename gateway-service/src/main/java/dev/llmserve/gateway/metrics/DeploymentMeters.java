package dev.llmserve.gateway.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of one deployment, registered once and cached.
 */
final class DeploymentMeters {

	private final MeterRegistry registry;

	private final String deployment;

	private final AtomicInteger activeStreams = new AtomicInteger();

	private final Timer timeToFirstChunk;

	private final ConcurrentMap<String, Counter> requests = new ConcurrentHashMap<>();

	DeploymentMeters(MeterRegistry registry, String deployment) {
		this.registry = registry;
		this.deployment = deployment;
		Gauge.builder("llmserve.gateway.streams.active", this.activeStreams, AtomicInteger::get)
			.description("Generations the gateway is streaming right now")
			.tag("deployment", deployment)
			.register(registry);
		this.timeToFirstChunk = Timer.builder("llmserve.gateway.time.to.first.token")
			.description("From the upstream call to its first chunk, retries included")
			.tag("deployment", deployment)
			.publishPercentileHistogram()
			.register(registry);
	}

	void streamStarted() {
		this.activeStreams.incrementAndGet();
	}

	void streamEnded() {
		this.activeStreams.decrementAndGet();
	}

	void recordTimeToFirstChunk(long nanos) {
		this.timeToFirstChunk.record(nanos, TimeUnit.NANOSECONDS);
	}

	void count(String outcome) {
		this.requests.computeIfAbsent(outcome, this::counter).increment();
	}

	private Counter counter(String outcome) {
		return Counter.builder("llmserve.gateway.requests")
			.description("Generations by how they ended")
			.tag("deployment", this.deployment)
			.tag("outcome", outcome)
			.register(this.registry);
	}

}
