package dev.llmserve.gateway.snapshots;

import dev.llmserve.gateway.routing.Replica;
import dev.llmserve.gateway.routing.ReplicaState;
import dev.llmserve.gateway.routing.RoutingTable;
import dev.llmserve.proto.DeploymentRoutes;
import dev.llmserve.proto.ReplicaLoad;
import dev.llmserve.proto.ReplicaRoute;
import dev.llmserve.proto.RoutingSnapshot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingSnapshotsTests {

	private static final ReplicaLoad BUSY = ReplicaLoad.newBuilder()
		.setWaiting(3)
		.setRunning(8)
		.setKvCacheUsage(0.4)
		.setEngineHealthy(true)
		.build();

	@Test
	void mapsEveryDeploymentAndReplicaOfTheSnapshot() {
		RoutingSnapshot snapshot = RoutingSnapshot.newBuilder()
			.setVersion(42)
			.setControllerId("run-1")
			.addDeployments(DeploymentRoutes.newBuilder()
				.setName("tinyllama")
				.setMaxConcurrentPerReplica(16)
				.addReplicas(route("tinyllama-a", "10.0.0.1:9101", dev.llmserve.proto.ReplicaState.REPLICA_READY)
					.setWorkerId("worker-1")
					.setLoad(BUSY))
				.addReplicas(route("tinyllama-b", "[::1]:9102", dev.llmserve.proto.ReplicaState.REPLICA_DRAINING)))
			.addDeployments(DeploymentRoutes.newBuilder().setName("llama3"))
			.build();
		RoutingTable table = RoutingSnapshots.toTable(snapshot);
		assertThat(table.version()).isEqualTo(42);
		assertThat(table.deploymentNames()).containsExactly("tinyllama", "llama3");
		assertThat(table.replicas("tinyllama")).containsExactly(
				new Replica("tinyllama-a", "tinyllama", "10.0.0.1", 9101, ReplicaState.READY, "worker-1", BUSY),
				new Replica("tinyllama-b", "tinyllama", "::1", 9102, ReplicaState.DRAINING, "",
						ReplicaLoad.getDefaultInstance()));
		assertThat(table.maxConcurrentPerReplica("tinyllama")).isEqualTo(16);
		assertThat(table.maxConcurrentPerReplica("llama3")).isZero();
		assertThat(table.contains("llama3")).isTrue();
		assertThat(table.replicas("llama3")).isEmpty();
	}

	@Test
	void treatsEveryStateButReadyAndDrainingAsUnavailable() {
		assertThat(RoutingSnapshots.state(dev.llmserve.proto.ReplicaState.REPLICA_READY)).isEqualTo(ReplicaState.READY);
		assertThat(RoutingSnapshots.state(dev.llmserve.proto.ReplicaState.REPLICA_DRAINING))
			.isEqualTo(ReplicaState.DRAINING);
		for (dev.llmserve.proto.ReplicaState state : new dev.llmserve.proto.ReplicaState[] {
				dev.llmserve.proto.ReplicaState.REPLICA_STATE_UNSPECIFIED,
				dev.llmserve.proto.ReplicaState.REPLICA_STARTING, dev.llmserve.proto.ReplicaState.REPLICA_FAILED,
				dev.llmserve.proto.ReplicaState.REPLICA_STOPPED, dev.llmserve.proto.ReplicaState.UNRECOGNIZED }) {
			assertThat(RoutingSnapshots.state(state)).isEqualTo(ReplicaState.UNAVAILABLE);
		}
	}

	@Test
	void leavesOutReplicasItCouldNotCallButKeepsTheRest() {
		RoutingSnapshot snapshot = RoutingSnapshot.newBuilder()
			.setVersion(1)
			.addDeployments(DeploymentRoutes.newBuilder()
				.setName("m")
				.addReplicas(route("no-port", "10.0.0.1", dev.llmserve.proto.ReplicaState.REPLICA_READY))
				.addReplicas(route("", "10.0.0.2:1", dev.llmserve.proto.ReplicaState.REPLICA_READY))
				.addReplicas(route("good", "10.0.0.3:1", dev.llmserve.proto.ReplicaState.REPLICA_READY)))
			.addDeployments(DeploymentRoutes.newBuilder()
				.addReplicas(route("nameless", "10.0.0.4:1", dev.llmserve.proto.ReplicaState.REPLICA_READY)))
			.build();
		RoutingTable table = RoutingSnapshots.toTable(snapshot);
		assertThat(table.deploymentNames()).containsExactly("m");
		assertThat(table.replicas("m")).extracting(Replica::id).containsExactly("good");
	}

	@Test
	void turnsAnEmptySnapshotIntoAnEmptyTable() {
		RoutingTable table = RoutingSnapshots.toTable(RoutingSnapshot.newBuilder().setVersion(3).build());
		assertThat(table.version()).isEqualTo(3);
		assertThat(table.deployments()).isEmpty();
	}

	private static ReplicaRoute.Builder route(String id, String address, dev.llmserve.proto.ReplicaState state) {
		return ReplicaRoute.newBuilder().setId(id).setAddress(address).setState(state);
	}

}
