package dev.llmserve.gateway.snapshots;

import java.util.concurrent.TimeUnit;

import dev.llmserve.gateway.routing.HostAndPort;
import dev.llmserve.gateway.routing.RoutingProperties;
import dev.llmserve.proto.ReactorRoutingGrpc;
import dev.llmserve.proto.ReactorRoutingGrpc.ReactorRoutingStub;
import dev.llmserve.proto.RoutingSnapshot;
import dev.llmserve.proto.WatchRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.DisposableBean;

/**
 * The gateway's one long-lived channel to the controller, for {@code Routing.Watch}.
 */
final class ControllerClient implements DisposableBean {

	private final ManagedChannel channel;

	private final ReactorRoutingStub stub;

	ControllerClient(ManagedChannel channel) {
		this.channel = channel;
		this.stub = ReactorRoutingGrpc.newReactorStub(channel);
	}

	static ControllerClient connect(HostAndPort address, RoutingProperties.Watch settings) {
		// No deadline on the stream: it is meant to stay open, and a controller with
		// nothing new says nothing. Keepalive pings notice one that vanished.
		return new ControllerClient(NettyChannelBuilder.forAddress(address.host(), address.port())
			.usePlaintext()
			.keepAliveTime(settings.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
			.keepAliveTimeout(settings.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.keepAliveWithoutCalls(false)
			.build());
	}

	/**
	 * Opens a {@code Watch} stream on subscribe. The caller paces its reconnections, so
	 * the channel is told to connect now rather than after its own (up to 2 minutes)
	 * backoff.
	 */
	Flux<RoutingSnapshot> watch(WatchRequest request) {
		return Flux.defer(() -> {
			this.channel.resetConnectBackoff();
			return this.stub.watch(request);
		});
	}

	@Override
	public void destroy() {
		this.channel.shutdownNow();
	}

}
