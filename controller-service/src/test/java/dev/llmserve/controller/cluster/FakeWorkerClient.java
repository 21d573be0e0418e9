package dev.llmserve.controller.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import dev.llmserve.proto.ListReplicasResponse;
import dev.llmserve.proto.ReplicaSpec;
import dev.llmserve.proto.ReplicaState;
import dev.llmserve.proto.ReplicaStatus;
import reactor.core.publisher.Mono;

/** Records every call; answers as the test says (by default: at once, successfully). */
public final class FakeWorkerClient implements WorkerClient {

	public final List<Start> starts = new CopyOnWriteArrayList<>();

	public final List<Stop> stops = new CopyOnWriteArrayList<>();

	public final List<String> probes = new CopyOnWriteArrayList<>();

	public volatile Function<ReplicaSpec, Mono<ReplicaStatus>> startAnswer = (spec) -> Mono
		.just(ReplicaStatus.newBuilder().setSpec(spec).setState(ReplicaState.REPLICA_STARTING).build());

	public volatile Function<String, Mono<ReplicaStatus>> stopAnswer = (id) -> Mono
		.just(ReplicaStatus.newBuilder().setState(ReplicaState.REPLICA_DRAINING).build());

	public volatile Function<String, Mono<ListReplicasResponse>> probeAnswer = (address) -> Mono
		.just(ListReplicasResponse.getDefaultInstance());

	@Override
	public Mono<ReplicaStatus> startReplica(String address, ReplicaSpec spec) {
		return Mono.defer(() -> {
			this.starts.add(new Start(address, spec));
			return this.startAnswer.apply(spec);
		});
	}

	@Override
	public Mono<ReplicaStatus> stopReplica(String address, String replicaId, Duration drainTimeout) {
		return Mono.defer(() -> {
			this.stops.add(new Stop(address, replicaId, drainTimeout));
			return this.stopAnswer.apply(replicaId);
		});
	}

	@Override
	public Mono<ListReplicasResponse> listReplicas(String address) {
		return Mono.defer(() -> {
			this.probes.add(address);
			return this.probeAnswer.apply(address);
		});
	}

	public record Start(String address, ReplicaSpec spec) {

		public String replicaId() {
			return this.spec.getReplicaId();
		}

	}

	public record Stop(String address, String replicaId, Duration drainTimeout) {
	}

}
