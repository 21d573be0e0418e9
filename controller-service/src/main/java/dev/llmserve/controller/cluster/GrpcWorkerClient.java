package dev.llmserve.controller.cluster;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.llmserve.proto.ListReplicasRequest;
import dev.llmserve.proto.ListReplicasResponse;
import dev.llmserve.proto.ReactorWorkerAgentGrpc;
import dev.llmserve.proto.ReactorWorkerAgentGrpc.ReactorWorkerAgentStub;
import dev.llmserve.proto.ReplicaSpec;
import dev.llmserve.proto.ReplicaStatus;
import dev.llmserve.proto.StartReplicaRequest;
import dev.llmserve.proto.StartReplicaResponse;
import dev.llmserve.proto.StopReplicaRequest;
import dev.llmserve.proto.StopReplicaResponse;
import reactor.core.publisher.Mono;

/** {@link WorkerClient} over gRPC, with Reactor stubs on {@link WorkerChannels}. */
final class GrpcWorkerClient implements WorkerClient {

	private final WorkerChannels channels;

	private final Duration callTimeout;

	private final Duration probeTimeout;

	GrpcWorkerClient(WorkerChannels channels, Duration callTimeout, Duration probeTimeout) {
		this.channels = channels;
		this.callTimeout = callTimeout;
		this.probeTimeout = probeTimeout;
	}

	@Override
	public Mono<ReplicaStatus> startReplica(String address, ReplicaSpec spec) {
		StartReplicaRequest request = StartReplicaRequest.newBuilder().setSpec(spec).build();
		return Mono.defer(() -> stub(address, this.callTimeout).startReplica(request))
			.map(StartReplicaResponse::getStatus);
	}

	@Override
	public Mono<ReplicaStatus> stopReplica(String address, String replicaId, Duration drainTimeout) {
		StopReplicaRequest request = StopReplicaRequest.newBuilder()
			.setReplicaId(replicaId)
			.setDrainTimeoutMillis(drainTimeout.toMillis())
			.build();
		return Mono.defer(() -> stub(address, this.callTimeout).stopReplica(request))
			.map(StopReplicaResponse::getStatus);
	}

	@Override
	public Mono<ListReplicasResponse> listReplicas(String address) {
		return Mono
			.defer(() -> stub(address, this.probeTimeout).listReplicas(ListReplicasRequest.getDefaultInstance()));
	}

	/** A stub whose deadline starts now, at subscription. */
	private ReactorWorkerAgentStub stub(String address, Duration deadline) {
		return ReactorWorkerAgentGrpc.newReactorStub(this.channels.channel(address))
			.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
	}

}
