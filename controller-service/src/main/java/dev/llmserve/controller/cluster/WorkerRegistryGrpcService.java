package dev.llmserve.controller.cluster;

import java.time.Duration;
import java.util.List;

import dev.llmserve.proto.HeartbeatResponse;
import dev.llmserve.proto.ReactorWorkerRegistryGrpc;
import dev.llmserve.proto.RegisterWorkerRequest;
import dev.llmserve.proto.RegisterWorkerResponse;
import dev.llmserve.proto.WorkerHeartbeat;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * {@code WorkerRegistry}: workers register with everything they run, then heartbeat their
 * full status; a heartbeat from a worker the controller does not know (it restarted, or
 * declared the worker dead) asks it to register again.
 */
final class WorkerRegistryGrpcService extends ReactorWorkerRegistryGrpc.WorkerRegistryImplBase {

	private static final Logger logger = LoggerFactory.getLogger(WorkerRegistryGrpcService.class);

	private final ClusterState cluster;

	private final ControllerRun run;

	private final Duration heartbeatInterval;

	WorkerRegistryGrpcService(ClusterState cluster, ControllerRun run, Duration heartbeatInterval) {
		this.cluster = cluster;
		this.run = run;
		this.heartbeatInterval = heartbeatInterval;
	}

	@Override
	public Mono<RegisterWorkerResponse> register(RegisterWorkerRequest request) {
		return Mono.fromCallable(() -> {
			String id = requireId(request.getWorkerId());
			HostAndPort.parse(request.getAddress());
			List<Replica> replicas = ReplicaStatuses.toReplicas(id, request.getReplicasList());
			this.cluster.register(id, request.getAddress(), request.getGpuIdsList(), replicas);
			logger.info("Worker {} registered from {} with {} GPU(s) and {} replica(s)", id, request.getAddress(),
					request.getGpuIdsCount(), replicas.size());
			return RegisterWorkerResponse.newBuilder()
				.setControllerId(this.run.id())
				.setHeartbeatIntervalMillis(this.heartbeatInterval.toMillis())
				.build();
		}).onErrorMap(IllegalArgumentException.class, WorkerRegistryGrpcService::invalid);
	}

	@Override
	public Mono<HeartbeatResponse> heartbeat(WorkerHeartbeat heartbeat) {
		return Mono.fromCallable(() -> {
			String id = requireId(heartbeat.getWorkerId());
			boolean known = this.cluster.heartbeat(id, ReplicaStatuses.toReplicas(id, heartbeat.getReplicasList()));
			if (!known) {
				logger.info("Heartbeat from unknown worker {}: asking it to register again", id);
			}
			return HeartbeatResponse.newBuilder().setRegisterAgain(!known).build();
		}).onErrorMap(IllegalArgumentException.class, WorkerRegistryGrpcService::invalid);
	}

	private static String requireId(String workerId) {
		if (workerId.isBlank()) {
			throw new IllegalArgumentException("worker_id: '' (expected: not blank)");
		}
		return workerId;
	}

	private static Throwable invalid(IllegalArgumentException ex) {
		return Status.INVALID_ARGUMENT.withDescription(ex.getMessage()).asRuntimeException();
	}

}
