package dev.llmserve.worker.replicas;

import java.io.IOException;
import java.time.Duration;

import dev.llmserve.proto.ReplicaLoad;
import dev.llmserve.proto.ReplicaState;
import dev.llmserve.proto.ReplicaStatus;
import dev.llmserve.worker.replicas.ReplicaRequestException.Reason;
import dev.llmserve.worker.support.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static dev.llmserve.worker.replicas.TestReplicas.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ReplicaRegistryTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final MutableClock clock = MutableClock.startingNow();

	private final TestReplicas replicas = new TestReplicas(this.clock);

	private final ReplicaRegistry registry = this.replicas.registry();

	@Test
	void startLaunchesTheReplicaAndReportsItStartingWithPidAndAddresses() {
		ReplicaStatus status = this.registry.start(spec("r1", "0", "1")).block(TIMEOUT);

		FakeReplicaLauncher.Launched launched = this.replicas.launcher().last();
		assertThat(status.getState()).isEqualTo(ReplicaState.REPLICA_STARTING);
		assertThat(status.getPid()).isEqualTo(launched.process().pid());
		assertThat(status.getAddress()).isEqualTo(TestReplicas.HOST + ":" + launched.ports().grpc());
		assertThat(status.getHttpAddress()).isEqualTo(TestReplicas.HOST + ":" + launched.ports().http());
		assertThat(status.getSpec().getGpuIdsList()).containsExactly("0", "1");
		assertThat(this.replicas.gpus().owners()).containsEntry("0", "r1").containsEntry("1", "r1");
	}

	@Test
	void startingAKnownReplicaAgainAnswersItsStatusWithoutLaunchingAgain() {
		ReplicaStatus first = this.registry.start(spec("r1", "0")).block(TIMEOUT);

		ReplicaStatus second = this.registry.start(spec("r1", "0")).block(TIMEOUT);

		assertThat(second).isEqualTo(first);
		assertThat(this.replicas.launches()).isEqualTo(1);
	}

	@Test
	void startingAKnownIdWithAnotherSpecIsAConflict() {
		this.replicas.start(spec("r1", "0"));

		assertThatExceptionOfType(ReplicaRequestException.class)
			.isThrownBy(() -> this.registry.start(spec("r1", "1")).block(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.CONFLICT));
	}

	@Test
	void startRefusesAGpuAnotherReplicaHolds() {
		this.replicas.start(spec("r1", "0"));

		assertThatExceptionOfType(ReplicaRequestException.class)
			.isThrownBy(() -> this.registry.start(spec("r2", "1", "0")).block(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.GPU_IN_USE))
			.withMessageContaining("GPU 0 is in use by replica r1");
		assertThat(this.replicas.launches()).isEqualTo(1);
	}

	@Test
	void startRefusesAnEngineItCannotRun() {
		assertThatExceptionOfType(ReplicaRequestException.class)
			.isThrownBy(() -> this.registry
				.start(spec("r1", "0").toBuilder().setEngine(spec("r1").getEngine().toBuilder().setKind("tgi")).build())
				.block(TIMEOUT))
			.withMessage("engine.kind: 'tgi' (expected: sim or vllm)");
	}

	@Test
	void aServingHealthCheckMakesAStartingReplicaReadyWithItsLoad() {
		this.replicas.start(spec("r1", "0"));
		ReplicaLoad load = ReplicaLoad.newBuilder().setRunning(3).setEngineHealthy(true).build();

		this.registry.healthy(this.registry.probeTargets().get(0), load);

		ReplicaStatus status = this.registry.status("r1");
		assertThat(status.getState()).isEqualTo(ReplicaState.REPLICA_READY);
		assertThat(status.getLoad()).isEqualTo(load);
	}

	@Test
	void aReplicaWhoseProcessExitsIsFailedWithTheExitCodeAndItsLastOutput() {
		FakeReplicaProcess process = this.replicas.start(spec("r1", "0"));

		StepVerifier.create(this.registry.failures())
			.then(() -> process.crash(2, "engine died", "bye"))
			.assertNext((failure) -> assertThat(failure.replicaId()).isEqualTo("r1"))
			.thenCancel()
			.verify(TIMEOUT);

		ReplicaStatus status = this.registry.status("r1");
		assertThat(status.getState()).isEqualTo(ReplicaState.REPLICA_FAILED);
		assertThat(status.getMessage()).contains("exited with code 2 (its engine died)").contains("engine died | bye");
		assertThat(status.getAddress()).isEmpty();
		assertThat(status.getHttpAddress()).isEmpty();
		assertThat(this.replicas.ports().reserved()).isEmpty();
		assertThat(this.replicas.gpus().owners()).containsEntry("0", "r1");
	}

	@Test
	void aReplicaWhoseProcessCannotStartIsFailed() {
		this.replicas.launcher().failWith(new IOException("no java here"));

		ReplicaStatus status = this.registry.start(spec("r1", "0")).block(TIMEOUT);

		assertThat(status.getState()).isEqualTo(ReplicaState.REPLICA_FAILED);
		assertThat(status.getMessage()).contains("could not start").contains("no java here");
	}

	@Test
	void aRelaunchKeepsTheIdAndGpusAndCountsTheRestart() {
		FakeReplicaProcess first = this.replicas.start(spec("r1", "0"));
		ReplicaFailure failure = crash(first);

		this.registry.relaunch(failure).block(TIMEOUT);

		ReplicaStatus status = this.registry.status("r1");
		assertThat(status.getState()).isEqualTo(ReplicaState.REPLICA_STARTING);
		assertThat(status.getRestarts()).isEqualTo(1);
		assertThat(status.getPid()).isEqualTo(this.replicas.process().pid()).isNotEqualTo(first.pid());
		assertThat(this.replicas.launcher().last().spec().getGpuIdsList()).containsExactly("0");
	}

	@Test
	void aFailureIsRelaunchedOnlyOnce() {
		ReplicaFailure failure = crash(this.replicas.start(spec("r1", "0")));

		this.registry.relaunch(failure).block(TIMEOUT);
		this.registry.relaunch(failure).block(TIMEOUT);

		assertThat(this.replicas.launches()).isEqualTo(2);
	}

	@Test
	void aGivenUpReplicaStaysFailedWithTheReason() {
		ReplicaFailure failure = crash(this.replicas.start(spec("r1", "0")));

		this.registry.giveUp(failure, "gave up: restarted 10 times");
		this.registry.relaunch(failure).block(TIMEOUT);

		ReplicaStatus status = this.registry.status("r1");
		assertThat(status.getState()).isEqualTo(ReplicaState.REPLICA_FAILED);
		assertThat(status.getMessage()).isEqualTo("gave up: restarted 10 times");
		assertThat(this.replicas.launches()).isEqualTo(1);
	}

	@Test
	void stopAnswersDrainingThenStopsTheProcessAfterDrainAndGrace() {
		FakeReplicaProcess process = this.replicas.start(spec("r1", "0"));

		ReplicaStatus answer = this.registry.stop("r1", Duration.ofSeconds(7)).block(TIMEOUT);

		assertThat(answer.getState()).isEqualTo(ReplicaState.REPLICA_DRAINING);
		assertThat(process.stops()).containsExactly(Duration.ofSeconds(7).plus(TestReplicas.STOP_GRACE));
		assertThat(this.registry.status("r1").getState()).isEqualTo(ReplicaState.REPLICA_STOPPED);
		assertThat(this.replicas.gpus().owners()).isEmpty();
		assertThat(this.replicas.ports().reserved()).isEmpty();
	}

	@Test
	void aProcessThatExitsWhileStoppingIsNotAFailure() {
		FakeReplicaProcess process = this.replicas.start(spec("r1", "0"));

		StepVerifier.create(this.registry.failures())
			.then(() -> this.registry.stop("r1", Duration.ofSeconds(1)).block(TIMEOUT))
			.then(() -> process.crash(143))
			.expectNoEvent(Duration.ofMillis(100))
			.thenCancel()
			.verify(TIMEOUT);
		assertThat(this.registry.status("r1").getState()).isEqualTo(ReplicaState.REPLICA_STOPPED);
	}

	@Test
	void stoppingTwiceStopsOnce() {
		FakeReplicaProcess process = this.replicas.start(spec("r1", "0"));

		this.registry.stop("r1", Duration.ofSeconds(1)).block(TIMEOUT);
		ReplicaStatus again = this.registry.stop("r1", Duration.ofSeconds(1)).block(TIMEOUT);

		assertThat(again.getState()).isEqualTo(ReplicaState.REPLICA_STOPPED);
		assertThat(process.stops()).hasSize(1);
	}

	@Test
	void stoppingAnUnknownReplicaIsNotFound() {
		assertThatExceptionOfType(ReplicaRequestException.class)
			.isThrownBy(() -> this.registry.stop("ghost", Duration.ofSeconds(1)).block(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.NOT_FOUND));
	}

	@Test
	void stoppingAFailedReplicaStopsItAtOnceAndCancelsItsRestart() {
		ReplicaFailure failure = crash(this.replicas.start(spec("r1", "0")));

		ReplicaStatus answer = this.registry.stop("r1", Duration.ofSeconds(1)).block(TIMEOUT);
		this.registry.relaunch(failure).block(TIMEOUT);

		assertThat(answer.getState()).isEqualTo(ReplicaState.REPLICA_STOPPED);
		assertThat(this.replicas.launches()).isEqualTo(1);
		assertThat(this.replicas.gpus().owners()).isEmpty();
	}

	@Test
	void aStoppedReplicaIsForgottenOnceReportedTwice() {
		this.replicas.start(spec("r1", "0"));
		this.registry.stop("r1", Duration.ofSeconds(1)).block(TIMEOUT);

		this.registry.reported(this.registry.statuses());
		assertThat(this.registry.statuses()).hasSize(1);
		this.registry.reported(this.registry.statuses());

		assertThat(this.registry.statuses()).isEmpty();
	}

	@Test
	void aStoppedReplicaIdCanBeStartedAgain() {
		this.replicas.start(spec("r1", "0"));
		this.registry.stop("r1", Duration.ofSeconds(1)).block(TIMEOUT);

		ReplicaStatus status = this.registry.start(spec("r1", "0")).block(TIMEOUT);

		assertThat(status.getState()).isEqualTo(ReplicaState.REPLICA_STARTING);
		assertThat(this.replicas.launches()).isEqualTo(2);
	}

	@Test
	void stopAllStopsEveryReplicaWithinTheGraceAndRefusesNewOnes() {
		FakeReplicaProcess first = this.replicas.start(spec("r1", "0"));
		FakeReplicaProcess second = this.replicas.start(spec("r2", "1"));

		this.registry.stopAll(Duration.ofSeconds(3)).block(TIMEOUT);

		assertThat(first.stops()).containsExactly(Duration.ofSeconds(3));
		assertThat(second.stops()).containsExactly(Duration.ofSeconds(3));
		assertThat(this.registry.statuses()).extracting(ReplicaStatus::getState)
			.containsOnly(ReplicaState.REPLICA_STOPPED);
		assertThatExceptionOfType(ReplicaRequestException.class)
			.isThrownBy(() -> this.registry.start(spec("r3", "0")).block(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.SHUTTING_DOWN));
	}

	@Test
	void recycleKillsAnUnhealthyReplicaAndReportsItFailed() {
		FakeReplicaProcess process = this.replicas.start(spec("r1", "0"));

		StepVerifier.create(this.registry.failures())
			.then(() -> this.registry.recycle(this.registry.probeTargets().get(0), "unhealthy for more than 30s")
				.block(TIMEOUT))
			.assertNext((failure) -> assertThat(failure.message()).isEqualTo("unhealthy for more than 30s"))
			.thenCancel()
			.verify(TIMEOUT);

		assertThat(process.stops()).containsExactly(TestReplicas.STOP_GRACE);
		assertThat(this.registry.status("r1").getState()).isEqualTo(ReplicaState.REPLICA_FAILED);
	}

	@Test
	void metricsCountReplicasByState() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		new ReplicaMetrics(this.registry).bindTo(meters);
		this.replicas.start(spec("r1", "0"));
		crash(this.replicas.start(spec("r2", "1")));

		assertThat(meters.get("llmserve.worker.replicas").tag("state", "starting").gauge().value()).isEqualTo(1);
		assertThat(meters.get("llmserve.worker.replicas").tag("state", "failed").gauge().value()).isEqualTo(1);
		assertThat(meters.get("llmserve.worker.replicas").tag("state", "ready").gauge().value()).isZero();
	}

	@Test
	void metricsCountLaunchesRestartsAndFailures() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		new ReplicaMetrics(this.registry).bindTo(meters);
		ReplicaFailure failure = crash(this.replicas.start(spec("r1", "0")));
		StepVerifier.create(this.registry.relaunch(failure)).verifyComplete();

		assertThat(meters.get("llmserve.worker.replica.launches").functionCounter().count()).isEqualTo(2);
		assertThat(meters.get("llmserve.worker.replica.restarts").functionCounter().count()).isEqualTo(1);
		assertThat(meters.get("llmserve.worker.replica.failures").functionCounter().count()).isEqualTo(1);
		assertThat(this.replicas.launcher().last().restarts()).as("the relaunch is told, for the replica's metrics")
			.isEqualTo(1);
	}

	private ReplicaFailure crash(FakeReplicaProcess process) {
		ReplicaFailure[] failure = new ReplicaFailure[1];
		StepVerifier.create(this.registry.failures())
			.then(() -> process.crash(137))
			.consumeNextWith((next) -> failure[0] = next)
			.thenCancel()
			.verify(TIMEOUT);
		return failure[0];
	}

}
