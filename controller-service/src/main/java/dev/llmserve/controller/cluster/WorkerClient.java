package dev.llmserve.controller.cluster;

import java.time.Duration;

import dev.llmserve.proto.ListReplicasResponse;
import dev.llmserve.proto.ReplicaSpec;
import dev.llmserve.proto.ReplicaStatus;
import reactor.core.publisher.Mono;

/**
 * Calls a worker agent at its address. Every call has a deadline; failures arrive as
 * {@link io.grpc.StatusRuntimeException}s. Nothing happens until subscription.
 */
public interface WorkerClient {

	Mono<ReplicaStatus> startReplica(String address, ReplicaSpec spec);

	Mono<ReplicaStatus> stopReplica(String address, String replicaId, Duration drainTimeout);

	Mono<ListReplicasResponse> listReplicas(String address);

}
