package dev.llmserve.replica.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
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

	private final List<Lane> lanes;

	/**
	 * @param group the event loops the gRPC server calls the service on
	 * @param pool a new connection pool for one loop, given its index
	 * @param client the client to configure, given its pool
	 */
	EngineClients(EventLoopGroup group, Function<Integer, ConnectionProvider> pool,
			Function<ConnectionProvider, HttpClient> client) {
		List<EventLoop> loops = new ArrayList<>();
		List<ConnectionProvider> pools = new ArrayList<>();
		List<Lane> lanes = new ArrayList<>();
		for (EventExecutor executor : group) {
			EventLoop loop = (EventLoop) executor;
			ConnectionProvider provider = pool.apply(loops.size());
			loops.add(loop);
			pools.add(provider);
			// Reactor Netty colocates: a connection is opened on the loop that asks for
			// it, and only this loop's calls ever ask this pool.
			lanes.add(new Lane(client.apply(provider), Schedulers.fromExecutor(loop)));
		}
		this.loops = List.copyOf(loops);
		this.pools = List.copyOf(pools);
		this.lanes = List.copyOf(lanes);
	}

	/** The lane of the calling thread (any, off the loops). */
	Lane current() {
		for (int i = 0; i < this.loops.size(); i++) {
			if (this.loops.get(i).inEventLoop()) {
				return this.lanes.get(i);
			}
		}
		return this.lanes.get(ThreadLocalRandom.current().nextInt(this.lanes.size()));
	}

	void dispose() {
		this.pools.forEach(ConnectionProvider::dispose);
	}

	/**
	 * A client and where its requests start.
	 *
	 * @param client the client, on its own pool
	 * @param start where a request to the engine is started: a task on the lane's own
	 * loop, queued behind the I/O events the loop is handling. Connecting inside that
	 * handling may reuse the file descriptor of a connection closed a moment earlier in
	 * the same batch of events, and the closed one's pending event then reaches the new,
	 * unconnected channel (Netty's epoll transport fails it with
	 * {@code NotYetConnectedException}).
	 */
	record Lane(HttpClient client, Scheduler start) {

		/** A lane for tests: requests start on the caller's thread. */
		static Lane of(HttpClient client) {
			return new Lane(client, Schedulers.immediate());
		}

	}

}
