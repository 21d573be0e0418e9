package dev.llmserve.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.llmserve.proto.ReactorRoutingGrpc;
import dev.llmserve.proto.RoutingSnapshot;
import dev.llmserve.proto.WatchRequest;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * A controller's {@code Routing} service that a test drives: every watcher gets the
 * latest published snapshot, then each later one. It can go away (open streams fail as
 * when the process dies) and come back on the same port as a new controller run, with a
 * new {@link #runId()} and nothing published yet.
 */
public final class FakeController implements AutoCloseable {

	private final List<WatchRequest> requests = new CopyOnWriteArrayList<>();

	private final AtomicInteger runs = new AtomicInteger();

	private final int port;

	private volatile Sinks.Many<RoutingSnapshot> snapshots;

	private volatile Server server;

	private FakeController() {
		this.port = start(0);
	}

	/** Listens on a free loopback port over grpc-netty. */
	public static FakeController onFreePort() {
		return new FakeController();
	}

	/** {@code 127.0.0.1:<port>}, the same across restarts. */
	public String address() {
		return "127.0.0.1:" + this.port;
	}

	/** The {@code controller_id} of the current run. */
	public String runId() {
		return "run-" + this.runs.get();
	}

	/** Sends the snapshot to every watcher, and first to every later one. */
	public void publish(RoutingSnapshot snapshot) {
		this.snapshots.emitNext(snapshot, Sinks.EmitFailureHandler.FAIL_FAST);
	}

	/** The {@code WatchRequest}s received so far, across runs. */
	public List<WatchRequest> requests() {
		return List.copyOf(this.requests);
	}

	/** Goes away: the port closes and open streams fail. */
	public synchronized void stop() {
		if (this.server != null) {
			this.server.shutdownNow();
			try {
				this.server.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.server = null;
		}
	}

	/** Comes back on the same port as a new run, unless it is running. */
	public synchronized void start() {
		if (this.server == null) {
			start(this.port);
		}
	}

	@Override
	public void close() {
		stop();
	}

	private synchronized int start(int port) {
		this.runs.incrementAndGet();
		this.snapshots = Sinks.many().replay().latest();
		Server started = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
			// The previous run's connections may linger in TIME_WAIT on this port.
			.withOption(ChannelOption.SO_REUSEADDR, true)
			.addService(new Service())
			.build();
		try {
			started.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server = started;
		return started.getPort();
	}

	private final class Service extends ReactorRoutingGrpc.RoutingImplBase {

		@Override
		public Flux<RoutingSnapshot> watch(WatchRequest request) {
			FakeController.this.requests.add(request);
			return FakeController.this.snapshots.asFlux();
		}

	}

}
