package dev.llmserve.replica.load;

import java.util.function.ToDoubleFunction;

import dev.llmserve.proto.ReplicaLoad;
import dev.llmserve.replica.engine.EngineState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The replica's current load: the engine's last metrics plus the calls in flight here.
 * Served by {@code Inference.GetLoad} and exposed as gauges.
 */
public final class ReplicaLoadRegistry {

	private final EngineState engine;

	private final InFlightRequests inFlight;

	private volatile EngineLoad latest = EngineLoad.UNKNOWN;

	private volatile EngineCounters counters = EngineCounters.ZERO;

	private volatile boolean lastScrapeSucceeded;

	ReplicaLoadRegistry(EngineState engine, InFlightRequests inFlight) {
		this.engine = engine;
		this.inFlight = inFlight;
	}

	/** The load as {@code GetLoad} reports it. */
	public ReplicaLoad snapshot() {
		EngineLoad load = this.latest;
		return ReplicaLoad.newBuilder()
			.setRunning(load.running())
			.setWaiting(load.waiting())
			.setKvCacheUsage(load.kvCacheUsage())
			.setInFlight(this.inFlight.current())
			.setEngineHealthy(isEngineHealthy())
			.setUpdatedAtMillis(load.updatedAtMillis())
			.build();
	}

	/** The engine serves and answered its last metrics scrape. */
	public boolean isEngineHealthy() {
		return this.engine.isReady() && this.lastScrapeSucceeded;
	}

	void update(EngineLoad load, EngineCounters counters) {
		this.latest = load;
		this.counters = counters;
		this.lastScrapeSucceeded = true;
	}

	void scrapeFailed() {
		this.lastScrapeSucceeded = false;
	}

	void bindTo(MeterRegistry registry, Tags tags) {
		gauge(registry, "llmserve.replica.engine.requests.running", tags, (self) -> self.latest.running());
		gauge(registry, "llmserve.replica.engine.requests.waiting", tags, (self) -> self.latest.waiting());
		Gauge.builder("llmserve.replica.engine.kv.cache.usage", this, (self) -> self.latest.kvCacheUsage())
			.description("The engine's KV cache in use, 0..1 (the fullest data-parallel engine's)")
			.baseUnit("ratio")
			.tags(tags)
			.register(registry);
		counter(registry, "llmserve.replica.engine.prompt.tokens", tags, (self) -> self.counters.promptTokens());
		counter(registry, "llmserve.replica.engine.generation.tokens", tags,
				(self) -> self.counters.generationTokens());
		counter(registry, "llmserve.replica.engine.preemptions", tags, (self) -> self.counters.preemptions());
		gauge(registry, "llmserve.replica.engine.healthy", tags, (self) -> self.isEngineHealthy() ? 1 : 0);
		gauge(registry, "llmserve.replica.requests.in.flight", tags, (self) -> self.inFlight.current());
	}

	private void counter(MeterRegistry registry, String name, Tags tags, ToDoubleFunction<ReplicaLoadRegistry> value) {
		FunctionCounter.builder(name, this, value)
			.description("Re-exposed from the engine's own vllm:* counter")
			.tags(tags)
			.register(registry);
	}

	private void gauge(MeterRegistry registry, String name, Tags tags, ToDoubleFunction<ReplicaLoadRegistry> value) {
		Gauge.builder(name, this, value).tags(tags).register(registry);
	}

}
