package dev.llmserve.controller.routing;

import java.time.Instant;
import java.util.List;

import dev.llmserve.controller.cluster.Load;
import dev.llmserve.controller.cluster.Replicas;
import dev.llmserve.controller.cluster.Worker;
import dev.llmserve.proto.DeploymentRoutes;
import dev.llmserve.proto.ReplicaLoad;
import dev.llmserve.proto.ReplicaRoute;
import dev.llmserve.proto.ReplicaState;
import dev.llmserve.proto.RoutingSnapshot;
import org.junit.jupiter.api.Test;

import static dev.llmserve.controller.cluster.Replicas.ready;
import static dev.llmserve.controller.cluster.Replicas.replica;
import static dev.llmserve.controller.deployments.Deployments.sim;
import static org.assertj.core.api.Assertions.assertThat;

class SnapshotContentTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	@Test
	void holdsEveryDeploymentWithItsReadyAndDrainingReplicasOnly() {
		Worker w1 = new Worker("w1", "127.0.0.1:7001", List.of("0", "1", "2", "3"),
				List.of(Replicas.withLoad(ready("b-2", "b", "w1", "0"), new Load(2, 1, 0.25, 3, true, 42)),
						replica("b-1", "b", "w1", ReplicaState.REPLICA_DRAINING, "1"),
						replica("b-3", "b", "w1", ReplicaState.REPLICA_STARTING, "2"),
						replica("b-4", "b", "w1", ReplicaState.REPLICA_FAILED, "3")),
				NOW);
		Worker w2 = new Worker("w2", "127.0.0.1:7002", List.of("0"), List.of(ready("ghost-1", "ghost", "w2", "0")),
				NOW);

		SnapshotContent content = SnapshotContent.of(List.of(sim("b", 2), sim("a", 1)), List.of(w2, w1));

		RoutingSnapshot snapshot = content.toSnapshot(7, "c-1", 1234);
		assertThat(snapshot.getVersion()).isEqualTo(7);
		assertThat(snapshot.getControllerId()).isEqualTo("c-1");
		assertThat(snapshot.getPublishedAtMillis()).isEqualTo(1234);
		assertThat(snapshot.getDeploymentsList()).extracting(DeploymentRoutes::getName).containsExactly("a", "b");
		DeploymentRoutes b = snapshot.getDeployments(1);
		assertThat(b.getMaxConcurrentPerReplica()).isEqualTo(64);
		assertThat(b.getReplicasList()).extracting(ReplicaRoute::getId, ReplicaRoute::getState)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("b-1", ReplicaState.REPLICA_DRAINING),
					org.assertj.core.groups.Tuple.tuple("b-2", ReplicaState.REPLICA_READY));
		ReplicaRoute route = b.getReplicas(1);
		assertThat(route.getWorkerId()).isEqualTo("w1");
		assertThat(route.getAddress()).isEqualTo(ready("b-2", "b", "w1").address());
		assertThat(route.getLoad()).isEqualTo(ReplicaLoad.newBuilder()
			.setRunning(2)
			.setWaiting(1)
			.setKvCacheUsage(0.25)
			.setInFlight(3)
			.setEngineHealthy(true)
			.setUpdatedAtMillis(42)
			.build());
	}

	@Test
	void contentsThatDifferOnlyInLoadsAreEqualWithoutThem() {
		Worker idle = new Worker("w1", "127.0.0.1:7001", List.of("0"), List.of(ready("a-1", "a", "w1", "0")), NOW);
		Worker busy = new Worker("w1", "127.0.0.1:7001", List.of("0"),
				List.of(Replicas.withLoad(ready("a-1", "a", "w1", "0"), new Load(9, 0, 0.9, 9, true, 1))), NOW);

		SnapshotContent before = SnapshotContent.of(List.of(sim("a", 1)), List.of(idle));
		SnapshotContent after = SnapshotContent.of(List.of(sim("a", 1)), List.of(busy));

		assertThat(after).isNotEqualTo(before);
		assertThat(after.withoutLoads()).isEqualTo(before.withoutLoads());
	}

}
