package dev.llmserve.controller.cluster;

import java.time.Duration;
import java.util.List;

import dev.llmserve.proto.ListReplicasResponse;
import dev.llmserve.proto.ReplicaSpec;
import dev.llmserve.proto.ReplicaState;
import dev.llmserve.proto.ReplicaStatus;
import io.grpc.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static dev.llmserve.controller.cluster.Replicas.ready;
import static org.assertj.core.api.Assertions.assertThat;

class WorkerLivenessMonitorTests {

	private final MutableClock clock = new MutableClock();

	private final ClusterState cluster = new ClusterState(this.clock);

	private final FakeWorkerClient client = new FakeWorkerClient();

	private final WorkerLivenessMonitor monitor = new WorkerLivenessMonitor(this.cluster, this.client,
			Duration.ofSeconds(3), this.clock);

	@BeforeEach
	void registerWorker() {
		this.cluster.register("w1", "127.0.0.1:7001", List.of("0"), List.of(ready("m-a", "m", "w1", "0")));
	}

	@Test
	void leavesAWorkerAloneWhileItHeartbeats() {
		this.clock.advance(Duration.ofSeconds(2));
		this.cluster.heartbeat("w1", List.of());
		this.clock.advance(Duration.ofSeconds(2));

		this.monitor.check();

		assertThat(this.client.probes).isEmpty();
	}

	@Test
	void aWorkerThatAnswersItsProbeIsKeptWithWhatItReports() {
		ReplicaStatus status = ReplicaStatus.newBuilder()
			.setSpec(ReplicaSpec.newBuilder().setReplicaId("m-b").setDeployment("m").addGpuIds("0"))
			.setState(ReplicaState.REPLICA_READY)
			.build();
		this.client.probeAnswer = (address) -> Mono
			.just(ListReplicasResponse.newBuilder().setWorkerId("w1").addReplicas(status).build());
		this.clock.advance(Duration.ofMillis(3001));

		this.monitor.check();

		assertThat(this.client.probes).containsExactly("127.0.0.1:7001");
		Worker worker = this.cluster.worker("w1").orElseThrow();
		assertThat(worker.lastSeen()).isEqualTo(this.clock.instant());
		assertThat(worker.replicas()).extracting(Replica::id).containsExactly("m-b");
	}

	@Test
	void aWorkerThatDoesNotAnswerItsProbeIsDeclaredDead() {
		this.client.probeAnswer = (address) -> Mono.error(Status.DEADLINE_EXCEEDED.asRuntimeException());
		this.clock.advance(Duration.ofMillis(3001));

		this.monitor.check();

		assertThat(this.cluster.workers()).isEmpty();
		assertThat(this.cluster.heartbeat("w1", List.of())).as("known").isFalse();
	}

	@Test
	void aWorkerThatHeartbeatsWhileItIsProbedIsKeptEvenIfTheProbeFails() {
		Sinks.One<ListReplicasResponse> probe = Sinks.one();
		this.client.probeAnswer = (address) -> probe.asMono();
		this.clock.advance(Duration.ofMillis(3001));
		this.monitor.check();

		this.clock.advance(Duration.ofMillis(10));
		this.cluster.heartbeat("w1", List.of());
		probe.tryEmitError(Status.UNAVAILABLE.asRuntimeException());

		assertThat(this.cluster.workers()).hasSize(1);
	}

	@Test
	void probesASilentWorkerOnceAtATime() {
		this.client.probeAnswer = (address) -> Mono.never();
		this.clock.advance(Duration.ofMillis(3001));

		this.monitor.check();
		this.monitor.check();

		assertThat(this.client.probes).hasSize(1);
	}

	@Test
	void anotherWorkerAnsweringAtTheAddressDoesNotKeepTheWorkerAlive() {
		this.client.probeAnswer = (address) -> Mono.just(ListReplicasResponse.newBuilder().setWorkerId("w2").build());
		this.clock.advance(Duration.ofMillis(3001));

		this.monitor.check();

		assertThat(this.cluster.workers()).isEmpty();
	}

}
