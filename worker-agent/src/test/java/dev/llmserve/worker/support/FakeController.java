package dev.llmserve.worker.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.llmserve.proto.HeartbeatResponse;
import dev.llmserve.proto.ReactorWorkerRegistryGrpc;
import dev.llmserve.proto.RegisterWorkerRequest;
import dev.llmserve.proto.RegisterWorkerResponse;
import dev.llmserve.proto.ReplicaStatus;
import dev.llmserve.proto.WorkerHeartbeat;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import reactor.core.publisher.Mono;

/**
 * The controller's {@code WorkerRegistry} on a loopback port, recording every
 * registration and heartbeat. It can be stopped and started again on the same port.
 */
public final class FakeController implements AutoCloseable {

	public static final String ID = "fake-controller";

	private final List<RegisterWorkerRequest> registrations = new CopyOnWriteArrayList<>();

	private final List<WorkerHeartbeat> heartbeats = new CopyOnWriteArrayList<>();

	private final AtomicBoolean registerAgain = new AtomicBoolean();

	private final int port;

	private volatile Server server;

	private FakeController(int port) {
		this.server = serve(port);
		this.port = this.server.getPort();
	}

	/** Listens on a free loopback port. */
	public static FakeController start() {
		return new FakeController(0);
	}

	/** Listens on {@code port}, where a worker may already be trying to reach it. */
	public static FakeController startOn(int port) {
		return new FakeController(port);
	}

	public int port() {
		return this.port;
	}

	public String address() {
		return "127.0.0.1:" + this.port;
	}

	/** Goes away, as a controller that crashed. */
	public void stop() {
		this.server.shutdownNow();
		try {
			this.server.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Comes back on the same port. */
	public void restart() {
		this.server = serve(this.port);
	}

	/** The next heartbeat is answered with {@code register_again}. */
	public void askToRegisterAgain() {
		this.registerAgain.set(true);
	}

	public List<RegisterWorkerRequest> registrations() {
		return List.copyOf(this.registrations);
	}

	public List<WorkerHeartbeat> heartbeats() {
		return List.copyOf(this.heartbeats);
	}

	/** The replica as the last heartbeat reported it. */
	public Optional<ReplicaStatus> lastReported(String replicaId) {
		List<WorkerHeartbeat> all = heartbeats();
		if (all.isEmpty()) {
			return Optional.empty();
		}
		return all.get(all.size() - 1)
			.getReplicasList()
			.stream()
			.filter((status) -> status.getSpec().getReplicaId().equals(replicaId))
			.findFirst();
	}

	@Override
	public void close() {
		stop();
	}

	private Server serve(int port) {
		try {
			return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
				.addService(new Registry())
				.build()
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private final class Registry extends ReactorWorkerRegistryGrpc.WorkerRegistryImplBase {

		@Override
		public Mono<RegisterWorkerResponse> register(RegisterWorkerRequest request) {
			FakeController.this.registrations.add(request);
			return Mono.just(RegisterWorkerResponse.newBuilder().setControllerId(ID).build());
		}

		@Override
		public Mono<HeartbeatResponse> heartbeat(WorkerHeartbeat request) {
			FakeController.this.heartbeats.add(request);
			boolean again = FakeController.this.registerAgain.getAndSet(false);
			return Mono.just(HeartbeatResponse.newBuilder().setRegisterAgain(again).build());
		}

	}

}
