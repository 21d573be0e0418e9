package dev.llmserve.controller.routing;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import dev.llmserve.proto.RoutingSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

import org.springframework.beans.factory.DisposableBean;

/**
 * Publishes full routing snapshots for gateways: after the cluster is synced (never
 * before, so that a restarted controller does not hand gateways an empty table), then
 * after every change, coalesced (at most one per {@code coalesce} window) and only when
 * the content differs. Changes of loads alone wait for {@code loadPublishInterval} after
 * the previous snapshot. Versions increase by one per snapshot.
 *
 * <p>
 * Every watcher gets the current snapshot first, then each new one; a slow watcher skips
 * to the newest, so nothing buffers without bound. All publishing runs on one worker of
 * the given scheduler.
 */
public final class SnapshotPublisher implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(SnapshotPublisher.class);

	private static final long NONE_PENDING = Long.MIN_VALUE;

	private final Supplier<SnapshotContent> content;

	private final String controllerId;

	private final Scheduler scheduler;

	private final Scheduler.Worker worker;

	private final long coalesceMillis;

	private final long loadIntervalMillis;

	private final Sinks.Many<RoutingSnapshot> snapshots = Sinks.many().replay().latest();

	private final AtomicBoolean scheduled = new AtomicBoolean();

	private final Disposable.Composite subscriptions = Disposables.composite();

	private final LongConsumer publishDelays;

	/** When the oldest change not yet published was observed (scheduler ms). */
	private final AtomicLong pendingSince = new AtomicLong(NONE_PENDING);

	private volatile boolean synced;

	private volatile long publishedVersion;

	// The fields below are touched only on the worker.

	private SnapshotContent last;

	private long lastPublishedAt;

	private long version;

	private Disposable deferred;

	SnapshotPublisher(Supplier<SnapshotContent> content, String controllerId, Scheduler scheduler,
			RoutingProperties properties) {
		this(content, controllerId, scheduler, properties, (delayMillis) -> {
		});
	}

	/**
	 * As above, telling {@code publishDelays} for each snapshot how long (ms) it came
	 * after the first change it carries.
	 */
	SnapshotPublisher(Supplier<SnapshotContent> content, String controllerId, Scheduler scheduler,
			RoutingProperties properties, LongConsumer publishDelays) {
		this.publishDelays = publishDelays;
		this.content = content;
		this.controllerId = controllerId;
		this.scheduler = scheduler;
		this.worker = scheduler.createWorker();
		this.coalesceMillis = properties.coalesce().toMillis();
		this.loadIntervalMillis = properties.loadPublishInterval().toMillis();
	}

	/** Publishes once {@code synced} completes, then on every one of {@code changes}. */
	void start(Flux<?> changes, Mono<Void> synced) {
		this.subscriptions.add(synced.subscribe(null, null, this::onSynced));
		this.subscriptions.add(changes.subscribe((change) -> requestPublish()));
	}

	/** The current snapshot (once there is one), then every new one; latest only. */
	public Flux<RoutingSnapshot> snapshots() {
		return this.snapshots.asFlux().onBackpressureLatest();
	}

	/** The version of the latest snapshot, 0 before the first. */
	public long version() {
		return this.publishedVersion;
	}

	/** Ends every watch (the controller is going away; gateways reconnect elsewhere). */
	void stop() {
		this.subscriptions.dispose();
		if (this.worker.isDisposed()) {
			return;
		}
		this.worker.schedule(() -> {
			this.snapshots.tryEmitComplete();
			this.worker.dispose();
		});
	}

	@Override
	public void destroy() {
		this.subscriptions.dispose();
		this.worker.dispose();
		this.snapshots.tryEmitComplete();
		this.scheduler.dispose();
	}

	private void onSynced() {
		this.synced = true;
		requestPublish();
	}

	private void requestPublish() {
		this.pendingSince.compareAndSet(NONE_PENDING, this.scheduler.now(TimeUnit.MILLISECONDS));
		if (this.synced && this.scheduled.compareAndSet(false, true)) {
			this.worker.schedule(this::publishIfChanged, this.coalesceMillis, TimeUnit.MILLISECONDS);
		}
	}

	private void publishIfChanged() {
		this.scheduled.set(false);
		SnapshotContent next = this.content.get();
		if (next.equals(this.last)) {
			this.pendingSince.set(NONE_PENDING);
			return;
		}
		long now = this.scheduler.now(TimeUnit.MILLISECONDS);
		long loadsDueAt = this.lastPublishedAt + this.loadIntervalMillis;
		if (this.last != null && now < loadsDueAt && next.withoutLoads().equals(this.last.withoutLoads())) {
			deferUntil(loadsDueAt - now);
			return;
		}
		publish(next, now);
	}

	private void deferUntil(long delayMillis) {
		if (this.deferred == null) {
			this.deferred = this.worker.schedule(() -> {
				this.deferred = null;
				publishIfChanged();
			}, delayMillis, TimeUnit.MILLISECONDS);
		}
	}

	private void publish(SnapshotContent next, long now) {
		if (this.deferred != null) {
			this.deferred.dispose();
			this.deferred = null;
		}
		this.version++;
		this.last = next;
		this.lastPublishedAt = now;
		RoutingSnapshot snapshot = next.toSnapshot(this.version, this.controllerId, now);
		this.snapshots.tryEmitNext(snapshot);
		this.publishedVersion = this.version;
		long since = this.pendingSince.getAndSet(NONE_PENDING);
		if (since != NONE_PENDING) {
			this.publishDelays.accept(Math.max(0, now - since));
		}
		if (this.version == 1) {
			logger.info("Publishing routing snapshots (controller {}); first: {} deployment(s), {} routed replica(s)",
					this.controllerId, snapshot.getDeploymentsCount(), routedReplicas(snapshot));
		}
		else {
			logger.debug("Published routing snapshot {}", this.version);
		}
	}

	private static int routedReplicas(RoutingSnapshot snapshot) {
		return snapshot.getDeploymentsList().stream().mapToInt((routes) -> routes.getReplicasCount()).sum();
	}

}
