package dev.llmserve.worker.health;

import java.time.Duration;

import dev.llmserve.proto.ReplicaLoad;
import dev.llmserve.proto.ReplicaState;
import dev.llmserve.proto.ReplicaStatus;
import dev.llmserve.worker.WorkerProperties;
import dev.llmserve.worker.replicas.FakeReplicaProcess;
import dev.llmserve.worker.replicas.ReplicaRegistry;
import dev.llmserve.worker.replicas.TestReplicas;
import dev.llmserve.worker.support.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

import static dev.llmserve.worker.replicas.TestReplicas.spec;
import static org.assertj.core.api.Assertions.assertThat;

class HealthMonitorTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final MutableClock clock = MutableClock.startingNow();

	private final FakeReplicaServer server = new FakeReplicaServer();

	/** The replica's gRPC port is the fake server's. */
	private final TestReplicas replicas = new TestReplicas(this.clock,
			TestReplicas.sequentialPorts(this.server.port()));

	private final ReplicaRegistry registry = this.replicas.registry();

	private final ReplicaChannels channels = new ReplicaChannels();

	private final WorkerProperties.Health settings = new WorkerProperties.Health(Duration.ofSeconds(1),
			Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(120), Duration.ofMinutes(25),
			Duration.ofSeconds(30));

	private final HealthMonitor monitor = new HealthMonitor(this.registry,
			new ReplicaProbe(this.channels, this.settings.timeout(), this.settings.loadTimeout()), this.channels,
			new HealthDeadlines(this.settings), this.clock, this.settings.interval(), Schedulers.parallel());

	@AfterEach
	void close() throws Exception {
		this.channels.destroy();
		this.server.close();
	}

	@Test
	void aServingReplicaBecomesReadyWithItsLoad() {
		this.replicas.start(spec("r1", "0"));
		ReplicaLoad load = ReplicaLoad.newBuilder().setRunning(2).setWaiting(1).setEngineHealthy(true).build();
		this.server.load(load);
		this.server.serving(true);

		check();

		assertThat(status().getState()).isEqualTo(ReplicaState.REPLICA_READY);
		assertThat(status().getLoad()).isEqualTo(load);
	}

	@Test
	void aStartingReplicaStaysStartingUntilItServes() {
		this.replicas.start(spec("r1", "0"));
		this.clock.advance(Duration.ofSeconds(119));

		check();

		assertThat(status().getState()).isEqualTo(ReplicaState.REPLICA_STARTING);
	}

	@Test
	void aReplicaNotReadyWithinTheStartupTimeoutIsKilledAndFailed() {
		FakeReplicaProcess process = this.replicas.start(spec("r1", "0"));
		this.clock.advance(Duration.ofSeconds(121));

		check();

		assertThat(process.isAlive()).isFalse();
		assertThat(status().getState()).isEqualTo(ReplicaState.REPLICA_FAILED);
		assertThat(status().getMessage()).isEqualTo("not ready within 2m of its launch");
	}

	@Test
	void aReadyReplicaUnhealthyForLongerThanTheTimeoutIsKilledAndFailed() {
		FakeReplicaProcess process = this.replicas.start(spec("r1", "0"));
		this.server.serving(true);
		check();
		this.server.serving(false);

		this.clock.advance(Duration.ofSeconds(20));
		check();
		assertThat(status().getState()).isEqualTo(ReplicaState.REPLICA_READY);
		assertThat(status().getLoad().getEngineHealthy()).isFalse();
		this.clock.advance(Duration.ofSeconds(11));
		check();

		assertThat(process.isAlive()).isFalse();
		assertThat(status().getState()).isEqualTo(ReplicaState.REPLICA_FAILED);
		assertThat(status().getMessage()).isEqualTo("unhealthy for more than 30s");
	}

	@Test
	void channelsOfReplicasThatAreGoneAreClosed() {
		this.replicas.start(spec("r1", "0"));
		check();
		assertThat(this.channels.size()).isEqualTo(1);

		this.replicas.stop("r1");
		check();

		assertThat(this.channels.size()).isZero();
	}

	private void check() {
		this.monitor.checkAll().block(TIMEOUT);
	}

	private ReplicaStatus status() {
		return this.registry.statuses().get(0);
	}

}
