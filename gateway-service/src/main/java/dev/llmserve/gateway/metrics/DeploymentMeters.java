package dev.llmserve.gateway.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of one deployment, registered once and cached, so that a token costs no
 * lookup: time to first token, inter-token latency and request duration (histograms with
 * SLO buckets), requests by outcome, tokens by kind and active streams.
 */
final class DeploymentMeters {

	/** Tag value for requests that name no deployment the gateway routes to. */
	static final String UNKNOWN = "unknown";

	private final AtomicInteger activeStreams = new AtomicInteger();

	private final Timer timeToFirstToken;

	private final Timer interTokenLatency;

	private final Timer requestDuration;

	private final Counter promptTokens;

	private final Counter completionTokens;

	private final Map<Outcome, Counter> requests = new EnumMap<>(Outcome.class);

	DeploymentMeters(MeterRegistry registry, String deployment) {
		Gauge.builder("llmserve.gateway.streams.active", this.activeStreams, AtomicInteger::get)
			.description("Generations the gateway is streaming right now")
			.tag("deployment", deployment)
			.register(registry);
		this.timeToFirstToken = Timer.builder("llmserve.gateway.time.to.first.token")
			.description("From the request's acceptance (body read, before admission) to its first token")
			.tag("deployment", deployment)
			.publishPercentileHistogram()
			.serviceLevelObjectives(millis(50, 100, 250, 500, 1000, 2500, 5000))
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofMinutes(1))
			.register(registry);
		this.interTokenLatency = Timer.builder("llmserve.gateway.inter.token.latency")
			.description("Between consecutive chunks that carry tokens, per stream")
			.tag("deployment", deployment)
			.publishPercentileHistogram()
			.serviceLevelObjectives(millis(10, 25, 50, 100, 250))
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(30))
			.register(registry);
		this.requestDuration = Timer.builder("llmserve.gateway.request.duration")
			.description("From the request's acceptance to the end of its generation, however it ended")
			.tag("deployment", deployment)
			.publishPercentileHistogram()
			.serviceLevelObjectives(millis(1000, 5000, 10000, 30000, 60000))
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofMinutes(10))
			.register(registry);
		this.promptTokens = tokens(registry, deployment, "prompt");
		this.completionTokens = tokens(registry, deployment, "completion");
		for (Outcome outcome : Outcome.values()) {
			this.requests.put(outcome,
					Counter.builder("llmserve.gateway.requests")
						.description("Requests by how they ended")
						.tag("deployment", deployment)
						.tag("outcome", outcome.tag())
						.register(registry));
		}
	}

	void streamStarted() {
		this.activeStreams.incrementAndGet();
	}

	void streamEnded() {
		this.activeStreams.decrementAndGet();
	}

	void timeToFirstToken(long nanos) {
		this.timeToFirstToken.record(nanos, TimeUnit.NANOSECONDS);
	}

	void interTokenLatency(long nanos) {
		this.interTokenLatency.record(nanos, TimeUnit.NANOSECONDS);
	}

	void requestDuration(long nanos) {
		this.requestDuration.record(nanos, TimeUnit.NANOSECONDS);
	}

	void completionTokens(int tokens) {
		this.completionTokens.increment(tokens);
	}

	void promptTokens(int tokens) {
		this.promptTokens.increment(tokens);
	}

	void count(Outcome outcome) {
		this.requests.get(outcome).increment();
	}

	private static Counter tokens(MeterRegistry registry, String deployment, String kind) {
		return Counter.builder("llmserve.gateway.tokens")
			.description("Tokens of generations: prompt (the engine's count) and completion (streamed)")
			.tag("deployment", deployment)
			.tag("kind", kind)
			.register(registry);
	}

	private static Duration[] millis(long... values) {
		Duration[] durations = new Duration[values.length];
		for (int i = 0; i < values.length; i++) {
			durations[i] = Duration.ofMillis(values[i]);
		}
		return durations;
	}

}
