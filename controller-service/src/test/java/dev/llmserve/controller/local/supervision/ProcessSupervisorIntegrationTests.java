package dev.llmserve.controller.local.supervision;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What becomes of recorded children when a supervisor starts, and of all children when it
 * stops.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessSupervisorIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path dataDir;

	private StandInChildren children;

	@BeforeEach
	void prepare() {
		this.children = new StandInChildren(this.dataDir);
	}

	@AfterEach
	void stopEverything() {
		this.children.close();
	}

	@Test
	void stopAllEndsEveryProcessTreeStartedOrAdoptedAndForgetsThem() {
		ChildDefinition gateway = this.children.definition("gateway", "gateway", PortPlan.ephemeral("http"), true);
		ChildDefinition worker = this.children.definition("worker", "local-0", PortPlan.ephemeral("http"), true);
		Scheduler dyingController = Schedulers.newSingle("dying-controller", true);
		awaitRunning(this.children.supervisor(dyingController), gateway);
		dyingController.dispose();
		ProcessSupervisor supervisor = this.children.supervisor();
		assertThat(awaitRunning(supervisor, gateway).adopted()).isTrue();
		awaitRunning(supervisor, worker);
		await().atMost(WAIT).until(() -> this.children.running().size() == 4);

		supervisor.stopAll().block(WAIT);

		assertThat(this.children.running()).isEmpty();
		assertThat(supervisor.status()).isEmpty();
		assertThat(new ProcessRecordFile(this.children.recordFile()).all()).isEmpty();
	}

	@Test
	void startsANewChildWhenTheRecordedPidNowBelongsToAnotherProcessAndLeavesThatOneAlone() throws Exception {
		Process stranger = new ProcessBuilder("sleep", "60").start();
		try {
			Map<String, Integer> port = StandInChildren.freeHttpPort();
			ChildDefinition gateway = this.children.definition("gateway", "gateway", PortPlan.fixed(port), false);
			Instant longBefore = stranger.info().startInstant().orElseThrow().minus(Duration.ofHours(1));
			new ProcessRecordFile(this.children.recordFile()).put(new ChildRecord("gateway", "gateway", stranger.pid(),
					longBefore, port, this.children.command(port.get("http"), false)));

			ChildStatus started = awaitRunning(this.children.supervisor(), gateway);

			assertThat(started.pid()).isNotEqualTo(stranger.pid());
			assertThat(started.adopted()).isFalse();
			assertThat(stranger.isAlive()).isTrue();
			assertThat(new ProcessRecordFile(this.children.recordFile()).find("gateway").orElseThrow().pid())
				.isEqualTo(started.pid());
		}
		finally {
			stranger.destroyForcibly();
		}
	}

	@Test
	void replacesARecordedChildThatNoLongerAnswers() throws Exception {
		HealthCheck quickStartup = new HealthCheck(StandInChildren.HEALTH.path(), Duration.ofMillis(100),
				Duration.ofMillis(300), 3, Duration.ofSeconds(1), Duration.ofMillis(300));
		ChildDefinition gateway = this.children.definition("gateway", "gateway",
				PortPlan.fixed(StandInChildren.freeHttpPort()), false);
		Scheduler dyingController = Schedulers.newSingle("dying-controller", true);
		long hung = awaitRunning(this.children.supervisor(dyingController, quickStartup), gateway).pid();
		dyingController.dispose();
		StandInChildren.signal(hung, "STOP");

		ChildStatus replacement = awaitRunning(
				this.children.supervisor(Schedulers.newSingle("next", true), quickStartup), gateway);

		assertThat(replacement.pid()).isNotEqualTo(hung);
		assertThat(replacement.adopted()).isFalse();
		assertThat(this.children.running()).extracting(ProcessHandle::pid).containsExactly(replacement.pid());
	}

	@Test
	void discardsRecordedChildrenThatAreNoLongerWanted() {
		ChildDefinition surplus = this.children.definition("worker", "local-5", PortPlan.ephemeral("http"), false);
		Scheduler dyingController = Schedulers.newSingle("dying-controller", true);
		awaitRunning(this.children.supervisor(dyingController), surplus);
		dyingController.dispose();

		this.children.supervisor().discardOthers(Set.of("gateway", "local-0")).block(WAIT);

		assertThat(this.children.running()).isEmpty();
		assertThat(new ProcessRecordFile(this.children.recordFile()).all()).isEmpty();
	}

	private static ChildStatus awaitRunning(ProcessSupervisor supervisor, ChildDefinition definition) {
		supervisor.run(definition).block(WAIT);
		await().atMost(WAIT)
			.until(() -> supervisor.status(definition.id()).map(ChildStatus::state).orElse(null) == ChildState.RUNNING);
		return supervisor.status(definition.id()).orElseThrow();
	}

}
