package dev.llmserve.gateway.upstream;

import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;

/**
 * Plaintext HTTP/2 channels over grpc-netty, with keepalive pings while calls are open
 * and callbacks run directly on the channel's event loop.
 */
final class NettyReplicaChannelFactory implements ReplicaChannelFactory {

	private final UpstreamProperties properties;

	NettyReplicaChannelFactory(UpstreamProperties properties) {
		this.properties = properties;
	}

	@Override
	public ManagedChannel create(String host, int port) {
		// forAddress(host, port) resolves through the channel's resolver, never blocking
		// here.
		return NettyChannelBuilder.forAddress(host, port)
			.usePlaintext()
			.keepAliveTime(this.properties.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
			.keepAliveTimeout(this.properties.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.keepAliveWithoutCalls(false)
			// Our callbacks never block (they encode a chunk and hand it to Reactor
			// Netty), so
			// they run on the gRPC event loop instead of hopping through an executor.
			.directExecutor()
			.build();
	}

}
