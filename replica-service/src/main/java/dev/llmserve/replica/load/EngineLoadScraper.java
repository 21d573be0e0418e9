package dev.llmserve.replica.load;

import java.time.Clock;

import dev.llmserve.replica.ReplicaProperties;
import dev.llmserve.replica.engine.EngineControlClient;
import dev.llmserve.replica.engine.EngineState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;

/** Reads the engine's {@code /metrics} on a fixed interval into the load registry. */
final class EngineLoadScraper implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(EngineLoadScraper.class);

	private final EngineControlClient control;

	private final EngineState engine;

	private final ReplicaLoadRegistry registry;

	private final ReplicaProperties.Load config;

	private final Clock clock;

	private volatile Disposable scraping;

	EngineLoadScraper(EngineControlClient control, EngineState engine, ReplicaLoadRegistry registry,
			ReplicaProperties.Load config, Clock clock) {
		this.control = control;
		this.engine = engine;
		this.registry = registry;
		this.config = config;
		this.clock = clock;
	}

	@Override
	public void start() {
		// A scrape slower than the interval skips ticks instead of queueing them.
		this.scraping = Flux.interval(this.config.interval())
			.onBackpressureDrop()
			.concatMap((tick) -> scrape(), 1)
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable scraping = this.scraping;
		if (scraping != null) {
			scraping.dispose();
		}
		this.scraping = null;
	}

	@Override
	public boolean isRunning() {
		return this.scraping != null;
	}

	Mono<Void> scrape() {
		if (!this.engine.isReady()) {
			this.registry.scrapeFailed();
			return Mono.empty();
		}
		return this.control.metrics(this.config.timeout())
			.map((text) -> PrometheusText.parse(text,
					(metric) -> EngineLoad.isWanted(metric) || EngineCounters.isWanted(metric)))
			.doOnNext((samples) -> this.registry.update(EngineLoad.from(samples, this.clock.millis()),
					EngineCounters.from(samples)))
			.then()
			.onErrorResume((error) -> {
				log.debug("Could not read the engine's metrics: {}", error.toString());
				this.registry.scrapeFailed();
				return Mono.empty();
			});
	}

}
