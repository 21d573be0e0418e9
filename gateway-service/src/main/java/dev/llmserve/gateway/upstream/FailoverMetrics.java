package dev.llmserve.gateway.upstream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code llmserve.gateway.failovers} (counter; deployment, phase): generations sent on to
 * another replica, {@code before_first_token} (a retry the client never sees) or
 * {@code mid_stream} (a continuation; counted when attempted, even if no replica is left
 * to take it).
 */
final class FailoverMetrics {

	static final String BEFORE_FIRST_TOKEN = "before_first_token";

	static final String MID_STREAM = "mid_stream";

	private final MeterRegistry registry;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	FailoverMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void count(String deployment, String phase) {
		this.counters
			.computeIfAbsent(deployment + '\0' + phase,
					(key) -> Counter.builder("llmserve.gateway.failovers")
						.description("Generations moved to another replica, before their first token or mid-stream")
						.tag("deployment", deployment)
						.tag("phase", phase)
						.register(this.registry))
			.increment();
	}

}
