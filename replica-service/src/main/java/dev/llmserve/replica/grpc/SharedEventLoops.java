package dev.llmserve.replica.grpc;

import dev.llmserve.replica.loops.EventLoops;
import io.grpc.netty.NettyServerBuilder;

import org.springframework.grpc.server.ServerBuilderCustomizer;

/**
 * Runs the gRPC server on the replica's shared event loops and calls the service on the
 * I/O thread itself: the service never blocks (it starts a non-blocking engine request
 * and relays its chunks), and the engine client it picks lives on that same thread (see
 * {@code EngineClients}).
 */
final class SharedEventLoops implements ServerBuilderCustomizer<NettyServerBuilder> {

	@Override
	public void customize(NettyServerBuilder builder) {
		builder.bossEventLoopGroup(EventLoops.acceptors())
			.workerEventLoopGroup(EventLoops.workers())
			.channelType(EventLoops.serverChannelType())
			.directExecutor();
	}

}
