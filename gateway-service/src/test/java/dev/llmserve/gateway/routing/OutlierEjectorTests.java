package dev.llmserve.gateway.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import dev.llmserve.gateway.routing.OutlierEjector.Failure;
import dev.llmserve.gateway.support.FixedRoutingTable;
import dev.llmserve.gateway.support.MutableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutlierEjectorTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final ReplicaStatsRegistry stats = new ReplicaStatsRegistry(this.clock);

	private final FixedRoutingTable table = FixedRoutingTable.of("m", replica(0), replica(1), replica(2), replica(3));

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final OutlierEjector ejector = ejector(50);

	private final LeastLoadedBalancer balancer = new LeastLoadedBalancer(this.table, this.stats, new Random(1));

	@Test
	void ejectsAtOnceAReplicaThatCannotBeReachedOrSendsNoFirstToken() {
		fail(0, Failure.UNREACHABLE);
		fail(1, Failure.FIRST_TOKEN_TIMEOUT);
		assertThat(ejected()).containsExactlyInAnyOrder("m-0", "m-1");
		assertThat(count("unreachable")).isEqualTo(1);
		assertThat(count("first_token_timeout")).isEqualTo(1);
		assertThat(this.meters.get("llmserve.gateway.replicas.ejected").tag("deployment", "m").gauge().value())
			.isEqualTo(2);
	}

	@Test
	void everyReplicaInTheTableHasItsEjectionCountersAtZeroBeforeAnyEjection() {
		this.ejector.afterPropertiesSet();
		this.table.set("m", List.of(replica(0), replica(4)));
		try {
			for (String replica : List.of("m-0", "m-1", "m-4")) {
				for (Failure failure : Failure.values()) {
					assertThat(this.meters.get("llmserve.gateway.replica.ejections")
						.tags("deployment", "m", "replica", replica, "reason", failure.tag())
						.counter()
						.count()).isZero();
				}
			}
			assertThat(this.meters.get("llmserve.gateway.replicas.ejected").tag("deployment", "m").gauge().value())
				.isZero();
		}
		finally {
			this.ejector.destroy();
		}
	}

	@Test
	void ejectsAfterConsecutiveErrorsOnlyAndASuccessStartsTheCountAgain() {
		fail(0, Failure.ERROR);
		fail(0, Failure.ERROR);
		this.ejector.onSuccess(lease(0, false));
		fail(0, Failure.ERROR);
		fail(0, Failure.ERROR);
		assertThat(ejected()).isEmpty();
		fail(0, Failure.ERROR);
		assertThat(ejected()).containsExactly("m-0");
		assertThat(count("consecutive_errors")).isEqualTo(1);
	}

	@Test
	void neverEjectsMoreThanTheMaxShareOfTheReadyReplicas() {
		fail(0, Failure.UNREACHABLE);
		fail(1, Failure.UNREACHABLE);
		fail(2, Failure.UNREACHABLE);
		fail(3, Failure.UNREACHABLE);
		assertThat(ejected()).containsExactlyInAnyOrder("m-0", "m-1");
	}

	@Test
	void neverEjectsTheOnlyReplicaOfADeployment() {
		this.table.set("m", List.of(replica(0)));
		fail(0, Failure.UNREACHABLE);
		assertThat(ejected()).isEmpty();
	}

	@Test
	void doublesTheCooldownOnEachEjectionInARowUpToTheMax() {
		fail(0, Failure.UNREACHABLE);
		assertCooldown(0, Duration.ofSeconds(5));
		failTrial(0);
		assertCooldown(0, Duration.ofSeconds(10));
		failTrial(0);
		assertCooldown(0, Duration.ofSeconds(20));
		failTrial(0);
		assertCooldown(0, Duration.ofSeconds(30));
		failTrial(0);
		assertCooldown(0, Duration.ofSeconds(30));
	}

	@Test
	void bringsAReplicaBackWhenItsTrialSucceedsAndStartsAgainAtTheBaseLater() {
		fail(0, Failure.UNREACHABLE);
		failTrial(0);
		this.clock.advance(Duration.ofSeconds(10));
		Lease trial = this.stats.get("m-0").ejection().tryStartTrial(this.clock.millis()) ? lease(0, true) : null;
		assertThat(trial).isNotNull();
		this.ejector.onSuccess(trial);
		assertThat(ejected()).isEmpty();

		this.clock.advance(Duration.ofSeconds(30));
		fail(0, Failure.UNREACHABLE);
		assertCooldown(0, Duration.ofSeconds(5));
	}

	@Test
	void keepsGrowingTheCooldownOfAReplicaThatFailsAgainSoonAfterItCameBack() {
		fail(0, Failure.UNREACHABLE);
		this.clock.advance(Duration.ofSeconds(5));
		this.stats.get("m-0").ejection().tryStartTrial(this.clock.millis());
		this.ejector.onSuccess(lease(0, true));
		this.clock.advance(Duration.ofSeconds(1));
		fail(0, Failure.UNREACHABLE);
		assertCooldown(0, Duration.ofSeconds(10));
	}

	@Test
	void ejectsAgainForLongerWhenALoadPollFailsAfterTheCooldown() {
		this.ejector.onUnreachable(replica(0));
		this.clock.advance(Duration.ofSeconds(2));
		this.ejector.onUnreachable(replica(0));
		assertCooldown(0, Duration.ofSeconds(3));
		this.clock.advance(Duration.ofSeconds(3));
		this.ejector.onUnreachable(replica(0));
		assertCooldown(0, Duration.ofSeconds(10));
	}

	@Test
	void ignoresFailuresOfCallsThatStartedBeforeTheEjection() {
		Lease old = lease(0, false);
		fail(0, Failure.UNREACHABLE);
		this.ejector.onSuccess(old);
		assertThat(ejected()).as("only the trial brings it back").containsExactly("m-0");
		this.ejector.onFailure(old, Failure.UNREACHABLE);
		assertCooldown(0, Duration.ofSeconds(5));
	}

	@Test
	void ejectsNothingWhenDisabled() {
		OutlierEjector off = new OutlierEjector(this.table, this.stats,
				new RoutingProperties.Ejection(false, Duration.ofSeconds(5), Duration.ofSeconds(30), 1, 100),
				this.meters);
		off.onFailure(lease(0, false), Failure.UNREACHABLE);
		off.onUnreachable(replica(1));
		assertThat(ejected()).isEmpty();
	}

	private void fail(int index, Failure failure) {
		this.ejector.onFailure(lease(index, false), failure);
	}

	/** Waits out the cool-down and fails the trial. */
	private void failTrial(int index) {
		EjectionState state = this.stats.get("m-" + index).ejection();
		while (!state.tryStartTrial(this.clock.millis())) {
			this.clock.advance(Duration.ofSeconds(1));
		}
		this.ejector.onFailure(lease(index, true), Failure.FIRST_TOKEN_TIMEOUT);
	}

	private void assertCooldown(int index, Duration cooldown) {
		String id = "m-" + index;
		this.clock.advance(cooldown.minusMillis(1));
		assertThat(this.balancer.pick("m", Set.of("m-1", "m-2", "m-3"))).as("%s within its cool-down", id).isEmpty();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.stats.get(id).ejection().isHalfOpen(this.clock.millis())).as("%s after it", id).isTrue();
		this.clock.advance(cooldown.negated());
	}

	private Set<String> ejected() {
		Set<String> ids = new HashSet<>();
		for (Replica replica : this.table.current().replicas("m")) {
			if (this.stats.get(replica.id()).isEjected()) {
				ids.add(replica.id());
			}
		}
		return ids;
	}

	private double count(String reason) {
		return this.meters.find("llmserve.gateway.replica.ejections")
			.tag("deployment", "m")
			.tag("reason", reason)
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	private Lease lease(int index, boolean trial) {
		return new Lease(replica(index), this.stats.get("m-" + index), trial);
	}

	private OutlierEjector ejector(int maxEjectionPercent) {
		return new OutlierEjector(this.table, this.stats, new RoutingProperties.Ejection(true, Duration.ofSeconds(5),
				Duration.ofSeconds(30), 3, maxEjectionPercent), this.meters);
	}

	private static Replica replica(int index) {
		return FixedRoutingTable.ready("m", index, "127.0.0.1", 9000 + index);
	}

}
