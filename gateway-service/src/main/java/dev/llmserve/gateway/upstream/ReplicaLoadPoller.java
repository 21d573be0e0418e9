package dev.llmserve.gateway.upstream;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.llmserve.gateway.routing.OutlierEjector;
import dev.llmserve.gateway.routing.Replica;
import dev.llmserve.gateway.routing.ReplicaStatsRegistry;
import dev.llmserve.gateway.routing.RoutingProperties;
import dev.llmserve.gateway.routing.RoutingTableSource;
import dev.llmserve.proto.LoadRequest;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;

/**
 * Calls {@code GetLoad} on every replica in the table at a fixed interval, each call with
 * a deadline, and records what it learns for the balancer. A replica that cannot be
 * reached counts as unreachable for outlier ejection, and its channel is told to
 * reconnect now rather than after its backoff.
 */
public final class ReplicaLoadPoller implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ReplicaLoadPoller.class);

	private static final LoadRequest REQUEST = LoadRequest.getDefaultInstance();

	private static final int MAX_CONCURRENT_POLLS = 32;

	private final RoutingTableSource source;

	private final ReplicaChannelRegistry channels;

	private final ReplicaStatsRegistry stats;

	private final OutlierEjector ejector;

	private final RoutingProperties properties;

	private volatile Disposable polling;

	public ReplicaLoadPoller(RoutingTableSource source, ReplicaChannelRegistry channels, ReplicaStatsRegistry stats,
			OutlierEjector ejector, RoutingProperties properties) {
		this.source = source;
		this.channels = channels;
		this.stats = stats;
		this.ejector = ejector;
		this.properties = properties;
	}

	@Override
	public void start() {
		// A round slower than the interval drops the ticks it overlaps instead of
		// queueing them.
		this.polling = Flux.interval(Duration.ZERO, this.properties.loadPollInterval())
			.onBackpressureDrop()
			.flatMap((tick) -> pollAll(), 1)
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable current = this.polling;
		if (current != null) {
			current.dispose();
		}
		this.polling = null;
	}

	@Override
	public boolean isRunning() {
		return this.polling != null;
	}

	/** One round: every replica once, in parallel. */
	public Mono<Void> pollAll() {
		List<Replica> replicas = this.source.current().allReplicas();
		this.stats.retainOnly(replicas.stream().map(Replica::id).toList());
		return Flux.fromIterable(replicas).flatMap(this::poll, MAX_CONCURRENT_POLLS).then();
	}

	private Mono<Void> poll(Replica replica) {
		return Mono
			.defer(() -> this.channels.stub(replica)
				.withDeadlineAfter(this.properties.loadPollTimeout().toMillis(), TimeUnit.MILLISECONDS)
				.getLoad(REQUEST))
			.doOnNext((load) -> this.stats.get(replica.id()).recordLoad(load))
			.onErrorResume((ex) -> {
				onFailure(replica, ex);
				return Mono.empty();
			})
			.then();
	}

	private void onFailure(Replica replica, Throwable failure) {
		Status status = Status.fromThrowable(failure);
		logger.debug("GetLoad on {} failed: {}", replica.id(), status);
		if (status.getCode() == Status.Code.UNAVAILABLE) {
			this.ejector.onUnreachable(replica);
			this.channels.resetConnectBackoff(replica);
		}
	}

}
