package dev.llmserve.controller.discovery;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.llmserve.controller.cluster.ClusterChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * Keeps the service discovery file up to date: it is rewritten at once when replicas or
 * workers come and go, and checked every {@code refreshInterval} for what announces no
 * change (a local child restarted on another port). An unchanged list is not rewritten.
 */
final class ScrapeTargetsWriter implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ScrapeTargetsWriter.class);

	private final ScrapeTargetsFile file;

	private final List<ScrapeTargetSource> sources;

	private final Disposable subscription;

	private String lastError;

	ScrapeTargetsWriter(ScrapeTargetsFile file, List<ScrapeTargetSource> sources, Flux<ClusterChange> changes,
			Duration refreshInterval, Scheduler scheduler) {
		this.file = file;
		this.sources = List.copyOf(sources);
		Flux<Object> changed = changes.filter((change) -> change != ClusterChange.LOADS_CHANGED).cast(Object.class);
		// Writes are file I/O: off the event loops, one at a time, and only the latest
		// request counts while one runs.
		this.subscription = Flux.merge(Flux.interval(Duration.ZERO, refreshInterval, scheduler), changed)
			.onBackpressureLatest()
			.publishOn(scheduler, 1)
			.subscribe((tick) -> refresh());
	}

	/** Writes the current targets if they changed; failures are logged, not thrown. */
	void refresh() {
		List<ScrapeTarget> targets = new ArrayList<>();
		try {
			this.sources.forEach((source) -> targets.addAll(source.scrapeTargets()));
			if (this.file.write(targets)) {
				logger.debug("Wrote {} scrape targets to {}", targets.size(), this.file.path());
			}
			this.lastError = null;
		}
		catch (IOException | RuntimeException ex) {
			String error = ex.toString();
			if (!error.equals(this.lastError)) {
				logger.warn("Cannot write the Prometheus scrape targets to {}: {}", this.file.path(), error);
			}
			this.lastError = error;
		}
	}

	@Override
	public void close() {
		this.subscription.dispose();
	}

}
