package dev.llmserve.gateway.routing;

import java.time.Instant;
import java.util.List;

import dev.llmserve.gateway.support.FakeReplica;
import dev.llmserve.gateway.support.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicaStatsRegistryTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final ReplicaStatsRegistry registry = new ReplicaStatsRegistry(this.clock);

	@Test
	void keepsWhatItKnowsOfAReplicaThatStaysInTheTable() {
		this.registry.get("a").ejection().eject(this.clock.millis(), 5000, 5000);
		this.registry.retainOnly(List.of("a", "b"));
		assertThat(this.registry.get("a").isEjected()).isTrue();
		assertThat(this.registry.get("a").isAvailable(this.clock.millis())).isFalse();
	}

	@Test
	void forgetsADepartedReplicaOnlyOnceItsCallsHaveEnded() {
		ReplicaStats departed = this.registry.get("gone");
		departed.recordLoad(FakeReplica.IDLE);
		departed.acquire();
		this.registry.retainOnly(List.of());
		assertThat(this.registry.get("gone")).isSameAs(departed);
		departed.release();
		this.registry.retainOnly(List.of());
		assertThat(this.registry.get("gone")).isNotSameAs(departed);
	}

}
