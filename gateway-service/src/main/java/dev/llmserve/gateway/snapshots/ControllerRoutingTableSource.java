package dev.llmserve.gateway.snapshots;

import java.util.List;
import java.util.function.Function;

import dev.llmserve.gateway.routing.Replica;
import dev.llmserve.gateway.routing.RoutingProperties;
import dev.llmserve.gateway.routing.RoutingTable;
import dev.llmserve.gateway.routing.RoutingTableSource;
import dev.llmserve.proto.RoutingSnapshot;
import dev.llmserve.proto.WatchRequest;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

import org.springframework.context.SmartLifecycle;

/**
 * The routing table as the controller publishes it on {@code Routing.Watch}: each
 * snapshot replaces the table whole. A stream that fails or ends is opened again after an
 * exponential backoff with jitter, reset by every snapshot; meanwhile the gateway keeps
 * routing on the last snapshot it applied. Not ready until the first snapshot (the
 * controller sends none until its view of the cluster is complete, so even an empty one
 * is a table to trust).
 *
 * <p>
 * Snapshots are ordered by version within one controller run. One from a different
 * {@code controller_id} (the controller restarted) is applied whatever its version; an
 * older or repeated one from the same run is ignored.
 */
final class ControllerRoutingTableSource implements RoutingTableSource, SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ControllerRoutingTableSource.class);

	private final String controller;

	private final Function<WatchRequest, Flux<RoutingSnapshot>> watch;

	private final WatchRequest request;

	private final RetryBackoffSpec reconnect;

	private final WatchMetrics metrics;

	private final Sinks.Many<RoutingTable> updates = Sinks.many().replay().latestOrDefault(RoutingTable.EMPTY);

	private volatile Applied applied;

	private volatile boolean streaming;

	private volatile Disposable watching;

	/**
	 * @param controller the controller's address, for logs
	 * @param watch opens one {@code Watch} stream on subscribe
	 * @param settings backoff and gateway id
	 * @param scheduler where the backoff delays run
	 * @param metrics where the watch is accounted for
	 */
	ControllerRoutingTableSource(String controller, Function<WatchRequest, Flux<RoutingSnapshot>> watch,
			RoutingProperties.Watch settings, Scheduler scheduler, WatchMetrics metrics) {
		this.controller = controller;
		this.watch = watch;
		this.request = WatchRequest.newBuilder().setGatewayId(settings.effectiveGatewayId()).build();
		this.reconnect = Retry.backoff(Long.MAX_VALUE, settings.initialBackoff())
			.maxBackoff(settings.maxBackoff())
			.jitter(settings.jitter())
			.transientErrors(true)
			.scheduler(scheduler)
			.doBeforeRetry(this::onStreamLost);
		this.metrics = metrics;
	}

	@Override
	public RoutingTable current() {
		Applied last = this.applied;
		return (last != null) ? last.table() : RoutingTable.EMPTY;
	}

	@Override
	public Flux<RoutingTable> updates() {
		return this.updates.asFlux();
	}

	@Override
	public boolean isReady() {
		return this.applied != null;
	}

	@Override
	public void start() {
		logger.info("Routing on snapshots from the controller at {} as {} (static routes ignored)", this.controller,
				this.request.getGatewayId());
		this.watching = watchForever().subscribe(null,
				(error) -> logger.error("Stopped watching the controller at {}", this.controller, error));
	}

	@Override
	public void stop() {
		Disposable current = this.watching;
		if (current != null) {
			current.dispose();
		}
		this.watching = null;
		this.streaming = false;
		this.metrics.disconnected(false);
	}

	@Override
	public boolean isRunning() {
		return this.watching != null;
	}

	/** Whether a stream is delivering snapshots right now. */
	boolean isStreaming() {
		return this.streaming;
	}

	private Flux<RoutingSnapshot> watchForever() {
		return Flux.defer(() -> this.watch.apply(this.request))
			// A controller ends the stream only when it goes away: reconnect as after an
			// error.
			.concatWith(Mono.error(
					() -> Status.UNAVAILABLE.withDescription("the controller ended the stream").asRuntimeException()))
			.doOnNext(this::onSnapshot)
			.retryWhen(this.reconnect);
	}

	private void onSnapshot(RoutingSnapshot snapshot) {
		if (!this.streaming) {
			this.streaming = true;
			this.metrics.connected();
			logger.info("{} the controller at {} ({}, snapshot {})",
					(this.applied != null) ? "Reconnected to" : "Connected to", this.controller,
					snapshot.getControllerId(), snapshot.getVersion());
		}
		Applied previous = this.applied;
		if (previous != null && !previous.isReplacedBy(snapshot)) {
			this.metrics.ignored();
			logger.debug("Ignoring snapshot {} of {}: already at {}", snapshot.getVersion(), snapshot.getControllerId(),
					previous.version());
			return;
		}
		apply(previous, snapshot);
	}

	private void apply(Applied previous, RoutingSnapshot snapshot) {
		RoutingTable table = RoutingSnapshots.toTable(snapshot);
		this.applied = new Applied(snapshot.getControllerId(), snapshot.getVersion(), table);
		this.metrics.applied(snapshot.getVersion());
		if (previous != null && !previous.controllerId().equals(snapshot.getControllerId())) {
			logger.info("Controller run {} replaces {} (snapshot {} after {})", snapshot.getControllerId(),
					previous.controllerId(), snapshot.getVersion(), previous.version());
		}
		if (previous == null || !routes(previous.table()).equals(routes(table))) {
			logger.info("Routing snapshot {}: {}", snapshot.getVersion(), routes(table));
		}
		Sinks.EmitResult result = this.updates.tryEmitNext(table);
		if (result.isFailure()) {
			logger.warn("Could not publish routing snapshot {} to its subscribers: {}", snapshot.getVersion(), result);
		}
	}

	private void onStreamLost(Retry.RetrySignal signal) {
		boolean wasStreaming = this.streaming;
		this.streaming = false;
		this.metrics.disconnected(wasStreaming);
		String cause = describe(signal.failure());
		Applied last = this.applied;
		if (wasStreaming) {
			logger.warn("Lost the controller at {} ({}); routing on snapshot {} until it is back", this.controller,
					cause, (last != null) ? last.version() : "none");
		}
		else if (signal.totalRetries() == 0) {
			logger.warn("Cannot watch the controller at {} yet ({}); retrying with backoff", this.controller, cause);
		}
		else {
			logger.debug("Controller at {} still unreachable ({}), attempt {}", this.controller, cause,
					signal.totalRetriesInARow() + 1);
		}
	}

	/** What the routes are, without the loads: what a change worth logging changes. */
	private static List<String> routes(RoutingTable table) {
		return table.deployments()
			.entrySet()
			.stream()
			.map((deployment) -> deployment.getKey() + "="
					+ deployment.getValue().stream().map(ControllerRoutingTableSource::route).toList())
			.toList();
	}

	private static String route(Replica replica) {
		return replica.id() + "@" + replica.address() + " " + replica.state();
	}

	private static String describe(Throwable failure) {
		Status status = Status.fromThrowable(failure);
		return (status.getDescription() != null) ? status.getCode() + ": " + status.getDescription()
				: status.getCode().name();
	}

	/** The snapshot the table came from. */
	private record Applied(String controllerId, long version, RoutingTable table) {

		boolean isReplacedBy(RoutingSnapshot snapshot) {
			return !this.controllerId.equals(snapshot.getControllerId()) || snapshot.getVersion() > this.version;
		}

	}

}
