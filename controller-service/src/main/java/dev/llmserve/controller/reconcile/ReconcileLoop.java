package dev.llmserve.controller.reconcile;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;

/**
 * Runs the {@link Reconciler} on its own thread: on a timer and on every event, with
 * bursts of events coalesced into one pass (a pass that is due while one runs runs once
 * more afterwards, not once per event).
 */
final class ReconcileLoop implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(ReconcileLoop.class);

	private static final Object TICK = new Object();

	private final Reconciler reconciler;

	private final Scheduler scheduler = Schedulers.newSingle("reconciler", true);

	private final Sinks.Many<Object> kicks = Sinks.many().multicast().directBestEffort();

	private Disposable loop;

	ReconcileLoop(Reconciler reconciler) {
		this.reconciler = reconciler;
		reconciler.onWakeUp(this::kickAfter);
	}

	/** Starts reconciling every {@code interval} and on each of {@code events}. */
	void start(Duration interval, Flux<?> events) {
		this.loop = Flux.<Object>merge(Flux.interval(interval, this.scheduler), events, this.kicks.asFlux())
			.onBackpressureLatest()
			.publishOn(this.scheduler, 1)
			.subscribe((tick) -> runOnce(), (error) -> logger.error("The reconcile loop stopped", error));
	}

	/** Asks for a pass soon. */
	synchronized void kick() {
		this.kicks.tryEmitNext(TICK);
	}

	void kickAfter(Duration delay) {
		this.scheduler.schedule(this::kick, delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void runOnce() {
		try {
			this.reconciler.reconcile();
		}
		catch (RuntimeException ex) {
			logger.error("Reconciliation failed; trying again at the next tick", ex);
		}
	}

	@Override
	public void destroy() {
		if (this.loop != null) {
			this.loop.dispose();
		}
		this.scheduler.dispose();
	}

}
