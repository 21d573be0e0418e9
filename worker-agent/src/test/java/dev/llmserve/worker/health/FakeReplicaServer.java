package dev.llmserve.worker.health;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

import dev.llmserve.proto.LoadRequest;
import dev.llmserve.proto.ReactorInferenceGrpc;
import dev.llmserve.proto.ReplicaLoad;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import reactor.core.publisher.Mono;

/**
 * A replica's gRPC health and {@code GetLoad} on a loopback port, as a test sets them.
 */
final class FakeReplicaServer implements AutoCloseable {

	private final HealthStatusManager health = new HealthStatusManager();

	private final Server server;

	private volatile ReplicaLoad load = ReplicaLoad.newBuilder().setEngineHealthy(true).build();

	FakeReplicaServer() {
		try {
			this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
				.addService(this.health.getHealthService())
				.addService(new Inference())
				.build()
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		serving(false);
	}

	int port() {
		return this.server.getPort();
	}

	void serving(boolean serving) {
		this.health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES,
				serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
	}

	void load(ReplicaLoad load) {
		this.load = load;
	}

	@Override
	public void close() {
		this.server.shutdownNow();
	}

	private final class Inference extends ReactorInferenceGrpc.InferenceImplBase {

		@Override
		public Mono<ReplicaLoad> getLoad(LoadRequest request) {
			return Mono.just(FakeReplicaServer.this.load);
		}

	}

}
