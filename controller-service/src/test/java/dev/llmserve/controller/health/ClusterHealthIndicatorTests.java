package dev.llmserve.controller.health;

import java.util.List;
import java.util.Map;

import dev.llmserve.controller.cluster.ClusterState;
import dev.llmserve.controller.cluster.ClusterSync;
import dev.llmserve.controller.cluster.MutableClock;
import dev.llmserve.proto.ReplicaState;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

import static dev.llmserve.controller.cluster.Replicas.ready;
import static dev.llmserve.controller.cluster.Replicas.replica;
import static org.assertj.core.api.Assertions.assertThat;

class ClusterHealthIndicatorTests {

	private final ClusterState cluster = new ClusterState(new MutableClock());

	private final ClusterSync sync = new ClusterSync();

	private final ClusterHealthIndicator indicator = new ClusterHealthIndicator(this.cluster, this.sync);

	@Test
	void showsWhetherTheControllerIsSyncedItsWorkersAndTheirReplicasByState() {
		this.cluster.register("w1", "127.0.0.1:7001", List.of("0", "1"),
				List.of(ready("a-1", "a", "w1", "0"), replica("a-2", "a", "w1", ReplicaState.REPLICA_STARTING, "1")));
		this.sync.markSynced();

		Health health = this.indicator.health();

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("synced", true)
			.containsEntry("workers", List.of("w1"))
			.containsEntry("replicas", Map.of("READY", 1, "STARTING", 1));
	}

	@Test
	void anEmptyClusterIsNotTheControllersFailure() {
		Health health = this.indicator.health();

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("synced", false).containsEntry("workers", List.of());
	}

}
