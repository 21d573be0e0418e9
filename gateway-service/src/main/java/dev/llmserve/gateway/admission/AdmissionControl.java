package dev.llmserve.gateway.admission;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

import dev.llmserve.gateway.routing.RoutingTable;
import dev.llmserve.gateway.routing.RoutingTableSource;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.context.SmartLifecycle;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Admission control per deployment: at most the per-replica limit times the routable
 * replicas run at once, and a bounded FIFO queue with a wait timeout holds the rest.
 * Requests it cannot take get a 503 with {@code Retry-After} before any response has
 * started. A deployment's capacity follows the routing table (and replicas' cool-downs)
 * as they change.
 *
 * <p>
 * A model that is not in the routing table is not governed here: it is let through, so
 * that the request fails the way it always does (404, or 503 before the first table), and
 * so that clients cannot create per-deployment state with made-up names.
 */
public final class AdmissionControl implements SmartLifecycle {

	private final RoutingTableSource source;

	private final ToIntFunction<String> routableReplicas;

	private final AdmissionProperties properties;

	private final long retryAfterSeconds;

	private final MeterRegistry registry;

	private final Scheduler scheduler;

	private final Map<String, DeploymentQueue> queues = new ConcurrentHashMap<>();

	private volatile Disposable.Composite watching;

	/**
	 * @param source the routing table
	 * @param routableReplicas how many replicas of a deployment can take a request now
	 * (READY and not cooling down)
	 * @param properties the limits
	 * @param retryAfterSeconds the {@code Retry-After} of a rejection
	 * @param registry where the meters go
	 * @param scheduler runs the wait timeouts and hands queued requests their permits
	 */
	public AdmissionControl(RoutingTableSource source, ToIntFunction<String> routableReplicas,
			AdmissionProperties properties, long retryAfterSeconds, MeterRegistry registry, Scheduler scheduler) {
		this.source = source;
		this.routableReplicas = routableReplicas;
		this.properties = properties;
		this.retryAfterSeconds = retryAfterSeconds;
		this.registry = registry;
		this.scheduler = scheduler;
	}

	/**
	 * A permit for one request to the deployment, once admitted; fails with a 503
	 * {@code ApiException} (with {@code Retry-After}) when the queue is full, the wait
	 * timed out or no replica can take it. Cancelling it while queued leaves the queue at
	 * once. The permit must be released when the request ends.
	 */
	public Mono<Permit> admit(String deployment) {
		return Mono.defer(() -> {
			if (!this.source.current().contains(deployment)) {
				return Mono.just(Permit.unlimited());
			}
			return this.queues.computeIfAbsent(deployment, this::newQueue).admit();
		});
	}

	/**
	 * As {@link #admit(String)}, and the permit is also released when the exchange ends,
	 * even if the response body that should release it is never subscribed.
	 */
	public Mono<Permit> admit(ServerRequest request, String deployment) {
		return admit(deployment).doOnNext((permit) -> ExchangePermits.hold(request.exchange(), permit));
	}

	@Override
	public void start() {
		Disposable.Composite running = Disposables.composite();
		running.add(this.source.updates().subscribe((table) -> drainAll(), (error) -> {
		}));
		running.add(Flux.interval(this.properties.tick(), this.scheduler)
			.onBackpressureDrop()
			.subscribe((tick) -> drainAll()));
		this.watching = running;
	}

	@Override
	public void stop() {
		Disposable.Composite running = this.watching;
		if (running != null) {
			running.dispose();
		}
		this.watching = null;
	}

	@Override
	public boolean isRunning() {
		return this.watching != null;
	}

	/** The capacity of the deployment now, by the current table. */
	Capacity capacity(String deployment) {
		RoutingTable table = this.source.current();
		DeploymentLimits limits = this.properties.limits(deployment, table.maxConcurrentPerReplica(deployment));
		int routable = table.contains(deployment) ? this.routableReplicas.applyAsInt(deployment) : 0;
		return limits.capacity(routable);
	}

	private void drainAll() {
		this.queues.values().forEach(DeploymentQueue::drain);
	}

	private DeploymentQueue newQueue(String deployment) {
		return new DeploymentQueue(deployment, () -> capacity(deployment), this.scheduler,
				new AdmissionMeters(this.registry, deployment), this.retryAfterSeconds);
	}

}
