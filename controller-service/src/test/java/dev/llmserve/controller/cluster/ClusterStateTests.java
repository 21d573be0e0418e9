package dev.llmserve.controller.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.llmserve.proto.ReplicaState;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static dev.llmserve.controller.cluster.Replicas.ready;
import static org.assertj.core.api.Assertions.assertThat;

class ClusterStateTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final MutableClock clock = new MutableClock();

	private final ClusterState cluster = new ClusterState(this.clock);

	@Test
	void aRegisteredWorkerIsKnownWithEverythingItRuns() {
		this.cluster.register("w1", "127.0.0.1:7001", List.of("0", "1"), List.of(ready("m-a", "m", "w1", "0")));

		assertThat(this.cluster.workers()).singleElement().satisfies((worker) -> {
			assertThat(worker.id()).isEqualTo("w1");
			assertThat(worker.gpuIds()).containsExactly("0", "1");
			assertThat(worker.replicas()).extracting(Replica::id).containsExactly("m-a");
			assertThat(worker.lastSeen()).isEqualTo(this.clock.instant());
		});
	}

	@Test
	void aHeartbeatReplacesTheWorkersReplicasWithTheFullList() {
		this.cluster.register("w1", "127.0.0.1:7001", List.of("0", "1"), List.of(ready("m-a", "m", "w1", "0")));
		this.clock.advance(Duration.ofSeconds(1));

		assertThat(this.cluster.heartbeat("w1", List.of(ready("m-b", "m", "w1", "1")))).isTrue();

		assertThat(this.cluster.replicas()).extracting(Replica::id).containsExactly("m-b");
		assertThat(this.cluster.worker("w1").orElseThrow().lastSeen()).isEqualTo(this.clock.instant());
	}

	@Test
	void aHeartbeatFromAnUnknownWorkerAsksItToRegisterAgain() {
		assertThat(this.cluster.heartbeat("w9", List.of())).isFalse();
		assertThat(this.cluster.workers()).isEmpty();
	}

	@Test
	void aWorkerHeardFromSinceItsProbeStartedIsNotForgotten() {
		this.cluster.register("w1", "127.0.0.1:7001", List.of("0"), List.of());
		Instant probedAt = this.cluster.worker("w1").orElseThrow().lastSeen();
		this.clock.advance(Duration.ofSeconds(1));
		this.cluster.heartbeat("w1", List.of());

		assertThat(this.cluster.forgetIfSilentSince("w1", probedAt)).isFalse();
		assertThat(this.cluster.workers()).hasSize(1);
	}

	@Test
	void aSilentWorkerIsForgottenWithItsReplicas() {
		this.cluster.register("w1", "127.0.0.1:7001", List.of("0"), List.of(ready("m-a", "m", "w1", "0")));

		assertThat(this.cluster.forgetIfSilentSince("w1", this.cluster.worker("w1").orElseThrow().lastSeen())).isTrue();

		assertThat(this.cluster.replicas()).isEmpty();
		assertThat(this.cluster.heartbeat("w1", List.of())).isFalse();
	}

	@Test
	void aReplicaMarkedDrainingShowsAsDrainingUntilItIsGone() {
		this.cluster.register("w1", "127.0.0.1:7001", List.of("0", "1"),
				List.of(ready("m-a", "m", "w1", "0"), ready("m-b", "m", "w1", "1")));

		this.cluster.markDraining("m-a");
		assertThat(this.cluster.replicas()).extracting(Replica::state)
			.containsExactly(ReplicaState.REPLICA_DRAINING, ReplicaState.REPLICA_READY);

		this.cluster.heartbeat("w1", List.of(ready("m-b", "m", "w1", "1")));
		this.cluster.heartbeat("w1", List.of(ready("m-a", "m", "w1", "0"), ready("m-b", "m", "w1", "1")));
		assertThat(this.cluster.replicas()).extracting(Replica::state).containsOnly(ReplicaState.REPLICA_READY);
	}

	@Test
	void announcesLoadChangesApartFromOtherChanges() {
		this.cluster.register("w1", "127.0.0.1:7001", List.of("0"), List.of(ready("m-a", "m", "w1", "0")));
		Replica busy = Replicas.withLoad(ready("m-a", "m", "w1", "0"), new Load(3, 0, 0.5, 3, true, 1));

		StepVerifier.create(this.cluster.changes())
			.then(() -> this.cluster.heartbeat("w1", List.of(ready("m-a", "m", "w1", "0"))))
			.then(() -> this.cluster.heartbeat("w1", List.of(busy)))
			.expectNext(ClusterChange.LOADS_CHANGED)
			.then(() -> this.cluster.heartbeat("w1", List.of()))
			.expectNext(ClusterChange.REPLICAS_CHANGED)
			.then(() -> this.cluster.register("w2", "127.0.0.1:7002", List.of("0"), List.of()))
			.expectNext(ClusterChange.WORKER_JOINED)
			.then(() -> this.cluster.forgetIfSilentSince("w2", this.clock.instant()))
			.expectNext(ClusterChange.WORKER_LEFT)
			.thenCancel()
			.verify(TIMEOUT);
	}

}
