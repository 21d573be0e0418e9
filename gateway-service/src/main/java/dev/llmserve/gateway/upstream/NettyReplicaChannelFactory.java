package dev.llmserve.gateway.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import reactor.netty.http.HttpResources;

/**
 * Plaintext HTTP/2 channels over grpc-netty on the gateway's own HTTP event loops, one
 * channel per loop (lane), with keepalive pings while calls are open and callbacks run
 * directly on the loop.
 *
 * <p>
 * The HTTP server reads a request on some loop; the call it makes goes out on the channel
 * of that loop, whose chunks come back on that loop and are written to the client there.
 * Without this every request and every chunk crossed between the server's loops and
 * gRPC's own, a thread wake-up each way.
 */
final class NettyReplicaChannelFactory implements ReplicaChannelFactory {

	private final UpstreamProperties properties;

	private final List<EventLoop> loops;

	private final boolean epoll;

	NettyReplicaChannelFactory(UpstreamProperties properties) {
		this(properties, Epoll.isAvailable());
	}

	private NettyReplicaChannelFactory(UpstreamProperties properties, boolean epoll) {
		this(properties, HttpResources.get().onServer(epoll), epoll);
	}

	NettyReplicaChannelFactory(UpstreamProperties properties, EventLoopGroup group, boolean epoll) {
		this.properties = properties;
		this.epoll = epoll;
		List<EventLoop> members = new ArrayList<>();
		for (EventExecutor executor : group) {
			members.add((EventLoop) executor);
		}
		this.loops = List.copyOf(members);
	}

	@Override
	public ManagedChannel create(String host, int port) {
		return create(host, port, currentLane());
	}

	@Override
	public ManagedChannel create(String host, int port, int lane) {
		// forAddress(host, port) resolves through the channel's resolver, never blocking
		// here.
		return NettyChannelBuilder.forAddress(host, port)
			.eventLoopGroup(this.loops.get(lane))
			.channelType(this.epoll ? EpollSocketChannel.class : NioSocketChannel.class)
			.usePlaintext()
			.keepAliveTime(this.properties.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
			.keepAliveTimeout(this.properties.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.keepAliveWithoutCalls(false)
			// Failed calls are retried (before the first token) or continued (after it)
			// by the gateway itself, on another replica; gRPC's own retry buffer would
			// only add a copy of every call.
			.disableRetry()
			// Our callbacks never block (they encode a chunk and hand it to Reactor
			// Netty), so they run on the event loop instead of hopping through an
			// executor.
			.directExecutor()
			.build();
	}

	@Override
	public int lanes() {
		return this.loops.size();
	}

	@Override
	public int currentLane() {
		for (int lane = 0; lane < this.loops.size(); lane++) {
			if (this.loops.get(lane).inEventLoop()) {
				return lane;
			}
		}
		// Not an I/O thread (a timer, a test): any lane will do.
		return ThreadLocalRandom.current().nextInt(this.loops.size());
	}

}
