package dev.llmserve.controller.routing;

import java.util.concurrent.atomic.AtomicInteger;

import dev.llmserve.proto.ReactorRoutingGrpc;
import dev.llmserve.proto.RoutingSnapshot;
import dev.llmserve.proto.WatchRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/**
 * {@code Routing.Watch}: the current snapshot, then every new one, for as long as the
 * gateway watches. Nothing is sent before the controller is synced.
 */
final class RoutingGrpcService extends ReactorRoutingGrpc.RoutingImplBase {

	private static final Logger logger = LoggerFactory.getLogger(RoutingGrpcService.class);

	private final SnapshotPublisher publisher;

	private final AtomicInteger watchers = new AtomicInteger();

	RoutingGrpcService(SnapshotPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public Flux<RoutingSnapshot> watch(WatchRequest request) {
		String gateway = request.getGatewayId().isEmpty() ? "(unnamed)" : request.getGatewayId();
		return this.publisher.snapshots().doOnSubscribe((subscription) -> {
			this.watchers.incrementAndGet();
			logger.info("Gateway {} watches the routing snapshots", gateway);
		}).doFinally((signal) -> {
			this.watchers.decrementAndGet();
			logger.info("Gateway {} stopped watching ({})", gateway, signal);
		});
	}

	int watchers() {
		return this.watchers.get();
	}

}
