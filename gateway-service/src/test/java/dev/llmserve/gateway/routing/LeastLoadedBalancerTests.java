package dev.llmserve.gateway.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.llmserve.gateway.support.FixedRoutingTable;
import dev.llmserve.gateway.support.MutableClock;
import dev.llmserve.proto.ReplicaLoad;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LeastLoadedBalancerTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final ReplicaStatsRegistry stats = new ReplicaStatsRegistry(this.clock);

	private final FixedRoutingTable table = FixedRoutingTable.of("m", replica(0), replica(1), replica(2));

	private final OutlierEjector ejector = new OutlierEjector(this.table, this.stats,
			new RoutingProperties.Ejection(true, Duration.ofSeconds(5), Duration.ofMinutes(1), 3, 100),
			new SimpleMeterRegistry());

	private final LeastLoadedBalancer balancer = new LeastLoadedBalancer(this.table, this.stats, new Random(7));

	@Test
	void picksTheReplicaWithFewestInFlightCalls() {
		Lease first = pick();
		Lease second = pick();
		Lease third = pick();
		assertThat(Set.of(first.replica().id(), second.replica().id(), third.replica().id())).hasSize(3);
		second.release();
		assertThat(pick().replica().id()).isEqualTo(second.replica().id());
	}

	@Test
	void breaksInFlightTiesByWaitingThenRunningThenKvCacheUsage() {
		report("m-0", 1, 0, 0.0);
		report("m-1", 0, 4, 0.10);
		report("m-2", 0, 4, 0.05);
		assertThat(pick().replica().id()).isEqualTo("m-2");
		assertThat(pick().replica().id()).isEqualTo("m-1");
		assertThat(pick().replica().id()).isEqualTo("m-0");
	}

	@Test
	void prefersFewerInFlightCallsOverALighterEngine() {
		report("m-0", 0, 0, 0.0);
		report("m-1", 9, 9, 0.9);
		report("m-2", 9, 9, 0.9);
		Lease idleEngine = pick();
		assertThat(idleEngine.replica().id()).isEqualTo("m-0");
		assertThat(pick().replica().id()).isIn("m-1", "m-2");
	}

	@Test
	void spreadsPicksAcrossEquallyLoadedReplicas() {
		Map<String, Integer> counts = new HashMap<>();
		for (int i = 0; i < 300; i++) {
			Lease lease = pick();
			counts.merge(lease.replica().id(), 1, Integer::sum);
			lease.release();
		}
		assertThat(counts).containsOnlyKeys("m-0", "m-1", "m-2");
		assertThat(counts.values()).allSatisfy((count) -> assertThat(count).isGreaterThan(60));
	}

	@Test
	void countsAsRoutableOnlyTheReplicasItWouldPick() {
		this.table.set("m",
				List.of(new Replica("m-0", "m", "127.0.0.1", 9000, ReplicaState.DRAINING), replica(1), replica(2)));
		this.stats.get("m-1").recordLoad(ReplicaLoad.newBuilder().setEngineHealthy(false).build());
		assertThat(this.balancer.routableReplicas("m")).isEqualTo(1);
		eject(2);
		assertThat(this.balancer.routableReplicas("m")).isZero();
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(this.balancer.routableReplicas("m")).isEqualTo(1);
		assertThat(this.balancer.routableReplicas("unknown")).isZero();
	}

	@Test
	void skipsDrainingExcludedAndEngineUnhealthyReplicas() {
		this.table.set("m",
				List.of(new Replica("m-0", "m", "127.0.0.1", 9000, ReplicaState.DRAINING), replica(1), replica(2)));
		this.stats.get("m-1").recordLoad(ReplicaLoad.newBuilder().setEngineHealthy(false).build());
		assertThat(this.balancer.pick("m", Set.of("m-2"))).isEmpty();
		assertThat(this.balancer.pick("m", Set.of()))
			.hasValueSatisfying((lease) -> assertThat(lease.replica().id()).isEqualTo("m-2"));
	}

	@Test
	void skipsAnEjectedReplicaUntilItsCooldownEnds() {
		eject(0);
		eject(1);
		assertThat(pick().replica().id()).isEqualTo("m-2");
		assertThat(pick().replica().id()).isEqualTo("m-2");
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(pick().replica().id()).isIn("m-0", "m-1");
	}

	@Test
	void findsNothingWhenEveryReplicaIsEjected() {
		eject(0);
		eject(1);
		eject(2);
		assertThat(this.balancer.pick("m", Set.of())).isEmpty();
	}

	@Test
	void givesAnEjectedReplicaOneTrialRequestOnceItsCooldownIsOver() {
		eject(0);
		Lease busy1 = pick();
		Lease busy2 = pick();
		this.clock.advance(Duration.ofSeconds(5));

		Lease trial = pick();
		assertThat(trial.replica().id()).isEqualTo("m-0");
		assertThat(trial.isTrial()).isTrue();
		assertThat(busy1.isTrial()).isFalse();
		for (int i = 0; i < 5; i++) {
			Lease other = pick();
			assertThat(other.replica().id()).as("no second request during the trial").isNotEqualTo("m-0");
		}
		this.ejector.onAbandoned(trial);
		trial.release();
		assertThat(pick().replica().id()).as("a trial again once the first was abandoned").isEqualTo("m-0");
		busy1.release();
		busy2.release();
	}

	@Test
	void neverPicksADrainingReplicaEvenWhenItIsTheLeastLoaded() {
		this.table.set("m", List.of(replica(0, ReplicaState.DRAINING), replica(1), replica(2)));
		List<Lease> leases = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			leases.add(pick());
		}
		assertThat(leases).extracting((lease) -> lease.replica().id()).doesNotContain("m-0");
		this.table.set("m", List.of(replica(0, ReplicaState.DRAINING), replica(1, ReplicaState.DRAINING)));
		assertThat(this.balancer.pick("m", Set.of())).isEmpty();
		leases.forEach(Lease::release);
	}

	@Test
	void keepsAReplicasEjectionWhenANewTableStillListsItAsReady() {
		eject(0);
		this.table.set("m", List.of(replica(0), replica(1)));
		this.table.set("m", List.of(replica(0), replica(1)));
		for (int i = 0; i < 10; i++) {
			Lease lease = pick();
			assertThat(lease.replica().id()).isEqualTo("m-1");
			lease.release();
		}
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(pick().replica().id()).isIn("m-0", "m-1");
	}

	@Test
	void ordersByTheLoadInTheTableUntilItsOwnPollReachesTheReplica() {
		this.table.set("m", List.of(replica(0, load(4)), replica(1, load(0))));
		Lease lease = pick();
		assertThat(lease.replica().id()).isEqualTo("m-1");
		lease.release();
		report("m-1", 9, 0, 0);
		report("m-0", 0, 0, 0);
		assertThat(pick().replica().id()).isEqualTo("m-0");
	}

	@Test
	void findsNothingForAnUnknownDeployment() {
		assertThat(this.balancer.pick("nope", Set.of())).isEmpty();
	}

	@Test
	void countsALeaseInFlightUntilItsFirstRelease() {
		Lease lease = pick();
		ReplicaStats replicaStats = this.stats.get(lease.replica().id());
		assertThat(replicaStats.inFlight()).isEqualTo(1);
		lease.release();
		lease.release();
		assertThat(replicaStats.inFlight()).isZero();
	}

	private void eject(int index) {
		this.ejector.onUnreachable(replica(index));
	}

	private Lease pick() {
		return this.balancer.pick("m", Set.of()).orElseThrow();
	}

	private void report(String id, int waiting, int running, double kvCacheUsage) {
		this.stats.get(id)
			.recordLoad(ReplicaLoad.newBuilder()
				.setWaiting(waiting)
				.setRunning(running)
				.setKvCacheUsage(kvCacheUsage)
				.setEngineHealthy(true)
				.build());
	}

	private static Replica replica(int index) {
		return FixedRoutingTable.ready("m", index, "127.0.0.1", 9000 + index);
	}

	private static Replica replica(int index, ReplicaState state) {
		return new Replica("m-" + index, "m", "127.0.0.1", 9000 + index, state);
	}

	private static Replica replica(int index, ReplicaLoad load) {
		return new Replica("m-" + index, "m", "127.0.0.1", 9000 + index, ReplicaState.READY, "w", load);
	}

	private static ReplicaLoad load(int waiting) {
		return ReplicaLoad.newBuilder().setWaiting(waiting).setEngineHealthy(true).build();
	}

}
