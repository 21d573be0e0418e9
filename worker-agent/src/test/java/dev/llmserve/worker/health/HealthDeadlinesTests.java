package dev.llmserve.worker.health;

import java.time.Duration;
import java.time.Instant;

import dev.llmserve.proto.ReplicaState;
import dev.llmserve.worker.WorkerProperties;
import dev.llmserve.worker.replicas.ProbeTarget;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HealthDeadlinesTests {

	private static final Instant LAUNCHED = Instant.parse("2026-01-01T00:00:00Z");

	private final HealthDeadlines deadlines = new HealthDeadlines(
			new WorkerProperties.Health(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(500),
					Duration.ofSeconds(120), Duration.ofMinutes(25), Duration.ofSeconds(30)));

	@Test
	void aVllmReplicaGetsItsLongerStartupTimeout() {
		ProbeTarget sim = starting("sim");
		ProbeTarget vllm = starting("vllm");
		Instant later = LAUNCHED.plus(Duration.ofMinutes(3));

		assertThat(this.deadlines.overdue(sim, later)).contains("not ready within 2m of its launch");
		assertThat(this.deadlines.overdue(vllm, later)).isEmpty();
		assertThat(this.deadlines.overdue(vllm, LAUNCHED.plus(Duration.ofMinutes(26)))).isPresent();
	}

	@Test
	void aReadyReplicaIsOverdueOnlyAfterTheUnhealthyTimeoutSinceItLastServed() {
		Instant lastHealthy = LAUNCHED.plus(Duration.ofMinutes(5));
		ProbeTarget ready = new ProbeTarget("r1", 1, ReplicaState.REPLICA_READY, 1, "sim", LAUNCHED, lastHealthy);

		assertThat(this.deadlines.overdue(ready, lastHealthy.plus(Duration.ofSeconds(30)))).isEmpty();
		assertThat(this.deadlines.overdue(ready, lastHealthy.plus(Duration.ofSeconds(31))))
			.contains("unhealthy for more than 30s");
	}

	private static ProbeTarget starting(String engineKind) {
		return new ProbeTarget("r1", 1, ReplicaState.REPLICA_STARTING, 1, engineKind, LAUNCHED, null);
	}

}
