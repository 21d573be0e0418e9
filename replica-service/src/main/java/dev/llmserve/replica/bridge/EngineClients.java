package dev.llmserve.replica.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * One engine client, with its own connection pool, per I/O thread of the replica.
 *
 * <p>
 * The gRPC server runs on the same event loops and calls the service on them, so a
 * {@code Generate} call picks the client of the thread it arrived on: its engine
 * connection lives on that thread, and the request to the engine, every chunk back and
 * the gRPC frames carrying them never wait for another thread to wake up. A shared pool
 * hands out any idle connection, whichever loop it lives on. The clients must use the
 * same (global) Reactor Netty loop resources as the gRPC server.
 */
final class EngineClients {

	private final List<EventLoop> loops;

	private final List<ConnectionProvider> pools;

	private final List<HttpClient> clients;

	/**
	 * @param group the event loops the gRPC server calls the service on
	 * @param pool a new connection pool for one loop, given its index
	 * @param client the client to configure, given its pool
	 */
	EngineClients(EventLoopGroup group, Function<Integer, ConnectionProvider> pool,
			Function<ConnectionProvider, HttpClient> client) {
		List<EventLoop> loops = new ArrayList<>();
		List<ConnectionProvider> pools = new ArrayList<>();
		List<HttpClient> clients = new ArrayList<>();
		for (EventExecutor executor : group) {
			EventLoop loop = (EventLoop) executor;
			ConnectionProvider provider = pool.apply(loops.size());
			loops.add(loop);
			pools.add(provider);
			// Reactor Netty colocates: a connection is opened on the loop that asks for
			// it, and only this loop's calls ever ask this pool.
			clients.add(client.apply(provider));
		}
		this.loops = List.copyOf(loops);
		this.pools = List.copyOf(pools);
		this.clients = List.copyOf(clients);
	}

	/** The client whose connections live on the calling thread (any, off the loops). */
	HttpClient current() {
		for (int i = 0; i < this.loops.size(); i++) {
			if (this.loops.get(i).inEventLoop()) {
				return this.clients.get(i);
			}
		}
		return this.clients.get(ThreadLocalRandom.current().nextInt(this.clients.size()));
	}

	int size() {
		return this.clients.size();
	}

	void dispose() {
		this.pools.forEach(ConnectionProvider::dispose);
	}

}
