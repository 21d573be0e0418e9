package dev.llmserve.replica.loops;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import reactor.netty.http.HttpResources;

/**
 * The replica's I/O threads: Reactor Netty's event loops, shared by the Actuator HTTP
 * server, the gRPC server and the engine clients, so that a call is served from end to
 * end on the thread it arrived on.
 */
public final class EventLoops {

	private static final boolean EPOLL = Epoll.isAvailable();

	private EventLoops() {
	}

	/** The loops connections are served on. */
	public static EventLoopGroup workers() {
		return HttpResources.get().onServer(EPOLL);
	}

	/** The loops that accept connections. */
	public static EventLoopGroup acceptors() {
		return HttpResources.get().onServerSelect(EPOLL);
	}

	/** The server channel type that matches the loops. */
	public static Class<? extends ServerChannel> serverChannelType() {
		return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
	}

}
