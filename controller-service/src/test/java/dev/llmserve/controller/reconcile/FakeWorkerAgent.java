package dev.llmserve.controller.reconcile;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.llmserve.proto.ListReplicasRequest;
import dev.llmserve.proto.ListReplicasResponse;
import dev.llmserve.proto.ReactorWorkerAgentGrpc;
import dev.llmserve.proto.ReactorWorkerRegistryGrpc;
import dev.llmserve.proto.ReactorWorkerRegistryGrpc.ReactorWorkerRegistryStub;
import dev.llmserve.proto.RegisterWorkerRequest;
import dev.llmserve.proto.ReplicaLoad;
import dev.llmserve.proto.ReplicaState;
import dev.llmserve.proto.ReplicaStatus;
import dev.llmserve.proto.StartReplicaRequest;
import dev.llmserve.proto.StartReplicaResponse;
import dev.llmserve.proto.StopReplicaRequest;
import dev.llmserve.proto.StopReplicaResponse;
import dev.llmserve.proto.WorkerHeartbeat;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A worker agent that runs nothing: a real {@code WorkerAgent} gRPC server on a free
 * loopback port that records what the controller asks, plus a heartbeat loop that reports
 * the replicas it was asked to start (in the state the test gives them).
 */
final class FakeWorkerAgent implements AutoCloseable {

	private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

	final String id;

	final List<String> gpuIds;

	final List<StartReplicaRequest> starts = new CopyOnWriteArrayList<>();

	final List<StopReplicaRequest> stops = new CopyOnWriteArrayList<>();

	private final Map<String, ReplicaStatus> replicas = new ConcurrentSkipListMap<>();

	private final Server server;

	private final ManagedChannel controllerChannel;

	private final ReactorWorkerRegistryStub registry;

	private Disposable heartbeats;

	private FakeWorkerAgent(String id, List<String> gpuIds, int controllerPort) throws IOException {
		this.id = id;
		this.gpuIds = List.copyOf(gpuIds);
		this.server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
			.addService(new Agent())
			.build()
			.start();
		this.controllerChannel = NettyChannelBuilder.forAddress("127.0.0.1", controllerPort).usePlaintext().build();
		this.registry = ReactorWorkerRegistryGrpc.newReactorStub(this.controllerChannel);
	}

	/** Starts the agent, registers it and heartbeats every {@code interval}. */
	static FakeWorkerAgent start(String id, int controllerPort, Duration interval, String... gpuIds)
			throws IOException {
		FakeWorkerAgent agent = new FakeWorkerAgent(id, List.of(gpuIds), controllerPort);
		agent.register().block(CALL_TIMEOUT);
		agent.heartbeats = Flux.interval(interval)
			.onBackpressureDrop()
			.concatMap((tick) -> agent.heartbeat().onErrorResume((error) -> Mono.empty()))
			.subscribe();
		return agent;
	}

	String address() {
		return "127.0.0.1:" + this.server.getPort();
	}

	/** The replica now serves at {@code address}. */
	void markReady(String replicaId, String address) {
		this.replicas.computeIfPresent(replicaId,
				(key, status) -> status.toBuilder()
					.setState(ReplicaState.REPLICA_READY)
					.setAddress(address)
					.setLoad(ReplicaLoad.newBuilder().setEngineHealthy(true))
					.build());
	}

	/** Dies: no more heartbeats, and nothing answers probes. */
	void kill() {
		this.heartbeats.dispose();
		this.server.shutdownNow();
	}

	@Override
	public void close() {
		kill();
		this.controllerChannel.shutdownNow();
	}

	private Mono<Void> register() {
		return this.registry
			.register(RegisterWorkerRequest.newBuilder()
				.setWorkerId(this.id)
				.setAddress(address())
				.addAllGpuIds(this.gpuIds)
				.addAllReplicas(this.replicas.values())
				.build())
			.then();
	}

	private Mono<Void> heartbeat() {
		WorkerHeartbeat heartbeat = WorkerHeartbeat.newBuilder()
			.setWorkerId(this.id)
			.addAllReplicas(this.replicas.values())
			.build();
		return this.registry.heartbeat(heartbeat)
			.flatMap((answer) -> answer.getRegisterAgain() ? register() : Mono.empty())
			.timeout(CALL_TIMEOUT);
	}

	private final class Agent extends ReactorWorkerAgentGrpc.WorkerAgentImplBase {

		@Override
		public Mono<StartReplicaResponse> startReplica(StartReplicaRequest request) {
			return Mono.fromCallable(() -> {
				FakeWorkerAgent.this.starts.add(request);
				ReplicaStatus status = FakeWorkerAgent.this.replicas.computeIfAbsent(request.getSpec().getReplicaId(),
						(key) -> ReplicaStatus.newBuilder()
							.setSpec(request.getSpec())
							.setState(ReplicaState.REPLICA_STARTING)
							.build());
				return StartReplicaResponse.newBuilder().setStatus(status).build();
			});
		}

		@Override
		public Mono<StopReplicaResponse> stopReplica(StopReplicaRequest request) {
			return Mono.fromCallable(() -> {
				FakeWorkerAgent.this.stops.add(request);
				ReplicaStatus status = FakeWorkerAgent.this.replicas.computeIfPresent(request.getReplicaId(),
						(key, current) -> current.toBuilder().setState(ReplicaState.REPLICA_DRAINING).build());
				if (status == null) {
					throw Status.NOT_FOUND.withDescription(request.getReplicaId()).asRuntimeException();
				}
				return StopReplicaResponse.newBuilder().setStatus(status).build();
			});
		}

		@Override
		public Mono<ListReplicasResponse> listReplicas(ListReplicasRequest request) {
			return Mono.fromCallable(() -> ListReplicasResponse.newBuilder()
				.setWorkerId(FakeWorkerAgent.this.id)
				.addAllGpuIds(FakeWorkerAgent.this.gpuIds)
				.addAllReplicas(FakeWorkerAgent.this.replicas.values())
				.build());
		}

	}

}
