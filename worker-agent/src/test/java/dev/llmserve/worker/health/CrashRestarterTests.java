package dev.llmserve.worker.health;

import java.time.Duration;

import dev.llmserve.proto.ReplicaState;
import dev.llmserve.proto.ReplicaStatus;
import dev.llmserve.worker.WorkerProperties;
import dev.llmserve.worker.replicas.FakeReplicaProcess;
import dev.llmserve.worker.replicas.ReplicaRegistry;
import dev.llmserve.worker.replicas.TestReplicas;
import dev.llmserve.worker.support.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

import static dev.llmserve.worker.replicas.TestReplicas.spec;
import static org.assertj.core.api.Assertions.assertThat;

class CrashRestarterTests {

	private final MutableClock clock = MutableClock.startingNow();

	private final VirtualTimeScheduler timer = VirtualTimeScheduler.create();

	private final TestReplicas replicas = new TestReplicas(this.clock);

	private final ReplicaRegistry registry = this.replicas.registry();

	private final CrashRestarter restarter = new CrashRestarter(this.registry, new RestartPolicy(
			new WorkerProperties.Restart(Duration.ofSeconds(1), Duration.ofSeconds(30), 3, Duration.ofMinutes(10))),
			this.clock, this.timer);

	@BeforeEach
	void start() {
		this.restarter.start();
	}

	@AfterEach
	void stop() {
		this.restarter.stop();
		this.timer.dispose();
	}

	@Test
	void aCrashedReplicaIsRestartedAfterTheInitialBackoff() {
		this.replicas.start(spec("r1", "0")).crash(137);
		assertThat(status().getState()).isEqualTo(ReplicaState.REPLICA_FAILED);

		advance(Duration.ofMillis(999));
		assertThat(this.replicas.launches()).isEqualTo(1);
		advance(Duration.ofMillis(1));

		assertThat(this.replicas.launches()).isEqualTo(2);
		assertThat(status().getState()).isEqualTo(ReplicaState.REPLICA_STARTING);
		assertThat(status().getRestarts()).isEqualTo(1);
	}

	@Test
	void crashingAgainDoublesTheBackoff() {
		this.replicas.start(spec("r1", "0")).crash(137);
		advance(Duration.ofSeconds(1));

		this.replicas.process().crash(2);
		advance(Duration.ofMillis(1999));
		assertThat(this.replicas.launches()).isEqualTo(2);
		advance(Duration.ofMillis(1));

		assertThat(this.replicas.launches()).isEqualTo(3);
		assertThat(status().getRestarts()).isEqualTo(2);
	}

	@Test
	void aReplicaThatCrashesTooOftenIsLeftFailedWithTheReason() {
		this.replicas.start(spec("r1", "0")).crash(4);
		for (int restart = 1; restart <= 3; restart++) {
			advance(Duration.ofSeconds(30));
			this.replicas.process().crash(4, "engine failed to start");
		}
		advance(Duration.ofMinutes(1));

		ReplicaStatus status = status();
		assertThat(this.replicas.launches()).isEqualTo(4);
		assertThat(status.getState()).isEqualTo(ReplicaState.REPLICA_FAILED);
		assertThat(status.getRestarts()).isEqualTo(3);
		assertThat(status.getMessage())
			.startsWith("gave up: restarted 3 times within 10m; last failure: exited with code 4");
	}

	@Test
	void aReplicaStoppedDuringItsBackoffIsNotRestarted() {
		FakeReplicaProcess process = this.replicas.start(spec("r1", "0"));
		process.crash(137);

		this.registry.stopAll(Duration.ofSeconds(1)).block(Duration.ofSeconds(5));
		advance(Duration.ofSeconds(5));

		assertThat(this.replicas.launches()).isEqualTo(1);
		assertThat(status().getState()).isEqualTo(ReplicaState.REPLICA_STOPPED);
	}

	private void advance(Duration duration) {
		this.clock.advance(duration);
		this.timer.advanceTimeBy(duration);
	}

	private ReplicaStatus status() {
		return this.registry.statuses().get(0);
	}

}
