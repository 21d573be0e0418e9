package dev.llmserve.worker.replicas;

import java.time.Duration;

import dev.llmserve.proto.ListReplicasRequest;
import dev.llmserve.proto.ListReplicasResponse;
import dev.llmserve.proto.ReactorWorkerAgentGrpc;
import dev.llmserve.proto.StartReplicaRequest;
import dev.llmserve.proto.StartReplicaResponse;
import dev.llmserve.proto.StopReplicaRequest;
import dev.llmserve.proto.StopReplicaResponse;
import io.grpc.Status;
import reactor.core.publisher.Mono;

/**
 * The {@code WorkerAgent} service the controller calls: start, stop and list this node's
 * replicas. Refusals become gRPC statuses here, and only here.
 */
final class WorkerAgentGrpcService extends ReactorWorkerAgentGrpc.WorkerAgentImplBase {

	private final String workerId;

	private final ReplicaRegistry registry;

	private final Duration defaultDrainTimeout;

	WorkerAgentGrpcService(String workerId, ReplicaRegistry registry, Duration defaultDrainTimeout) {
		this.workerId = workerId;
		this.registry = registry;
		this.defaultDrainTimeout = defaultDrainTimeout;
	}

	@Override
	public Mono<StartReplicaResponse> startReplica(StartReplicaRequest request) {
		return this.registry.start(request.getSpec())
			.map((status) -> StartReplicaResponse.newBuilder().setStatus(status).build());
	}

	@Override
	public Mono<StopReplicaResponse> stopReplica(StopReplicaRequest request) {
		return Mono.defer(() -> this.registry.stop(request.getReplicaId(), drainTimeout(request)))
			.map((status) -> StopReplicaResponse.newBuilder().setStatus(status).build());
	}

	@Override
	public Mono<ListReplicasResponse> listReplicas(ListReplicasRequest request) {
		return Mono.fromSupplier(() -> ListReplicasResponse.newBuilder()
			.setWorkerId(this.workerId)
			.addAllGpuIds(this.registry.gpuIds())
			.addAllReplicas(this.registry.statuses())
			.build());
	}

	@Override
	protected Throwable onErrorMap(Throwable error) {
		if (error instanceof ReplicaRequestException refused) {
			return status(refused.reason()).withDescription(refused.getMessage()).asRuntimeException();
		}
		return super.onErrorMap(error);
	}

	private Duration drainTimeout(StopReplicaRequest request) {
		long millis = request.getDrainTimeoutMillis();
		if (millis < 0) {
			throw new ReplicaRequestException(ReplicaRequestException.Reason.INVALID,
					"drain_timeout_millis: %d (expected: >= 0; 0 for the default)".formatted(millis));
		}
		return (millis == 0) ? this.defaultDrainTimeout : Duration.ofMillis(millis);
	}

	private static Status status(ReplicaRequestException.Reason reason) {
		return switch (reason) {
			case INVALID -> Status.INVALID_ARGUMENT;
			case GPU_IN_USE -> Status.FAILED_PRECONDITION;
			case CONFLICT -> Status.ALREADY_EXISTS;
			case NOT_FOUND -> Status.NOT_FOUND;
			case SHUTTING_DOWN -> Status.UNAVAILABLE;
		};
	}

}
