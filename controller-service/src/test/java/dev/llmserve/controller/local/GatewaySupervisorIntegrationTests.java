package dev.llmserve.controller.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.llmserve.controller.local.supervision.ChildState;
import dev.llmserve.controller.local.supervision.ChildStatus;
import dev.llmserve.controller.local.supervision.HealthCheck;
import dev.llmserve.controller.local.supervision.PortPlan;
import dev.llmserve.controller.local.supervision.ProcessSupervisor;
import dev.llmserve.controller.local.supervision.StandInChildren;
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
 * The gateway supervisor with a stand-in gateway: a small HTTP server that answers
 * liveness.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewaySupervisorIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path dataDir;

	private StandInChildren children;

	private final Map<String, Integer> port = StandInChildren.freeHttpPort();

	@BeforeEach
	void prepare() {
		this.children = new StandInChildren(this.dataDir);
	}

	@AfterEach
	void stopEverything() {
		this.children.close();
	}

	@Test
	void restartsTheGatewayAtOnceWhenItIsKilled() {
		GatewaySupervisor gateway = gateway(this.children.supervisor());
		long first = awaitRunning(gateway).pid();

		ProcessHandle.of(first).orElseThrow().destroyForcibly();

		ChildStatus restarted = awaitRunningOtherThan(gateway, first);
		assertThat(restarted.restarts()).isEqualTo(1);
		assertThat(restarted.lastRestartReason()).isEqualTo("exited with code 137");
		assertThat(this.children.running()).extracting(ProcessHandle::pid).containsExactly(restarted.pid());
	}

	@Test
	void killsAndRestartsTheGatewayWhenItStopsAnswering() throws Exception {
		GatewaySupervisor gateway = gateway(this.children.supervisor());
		long first = awaitRunning(gateway).pid();

		// Frozen: the kernel still accepts connections, nobody answers them.
		StandInChildren.signal(first, "STOP");

		ChildStatus restarted = awaitRunningOtherThan(gateway, first);
		assertThat(restarted.lastRestartReason()).startsWith("stopped answering its health check");
		assertThat(this.children.running()).extracting(ProcessHandle::pid).containsExactly(restarted.pid());
	}

	@Test
	void keepsAGatewayThatAnswersLateForLessThanTheUnresponsiveTimeout() throws Exception {
		// Many checks fail in a row while it is frozen, as under a load spike on a busy
		// box; killing it then would drop every stream it holds.
		HealthCheck patient = new HealthCheck(StandInChildren.HEALTH.path(), Duration.ofMillis(100),
				Duration.ofMillis(200), 3, Duration.ofSeconds(15), Duration.ofSeconds(4));
		GatewaySupervisor gateway = gateway(
				this.children.supervisor(Schedulers.newSingle("patient-supervisor", true), patient));
		long pid = awaitRunning(gateway).pid();

		StandInChildren.signal(pid, "STOP");
		Thread.sleep(2000);
		StandInChildren.signal(pid, "CONT");
		Thread.sleep(3000);

		ChildStatus status = gateway.status().orElseThrow();
		assertThat(status.pid()).isEqualTo(pid);
		assertThat(status.restarts()).isZero();
		assertThat(status.state()).isEqualTo(ChildState.RUNNING);
	}

	@Test
	void aSupervisorOnTheSameDataDirectoryAdoptsTheRunningGatewayInsteadOfStartingAnother() {
		Scheduler dyingController = Schedulers.newSingle("dying-controller", true);
		long pid = awaitRunning(gateway(this.children.supervisor(dyingController))).pid();
		dyingController.dispose();

		GatewaySupervisor next = gateway(this.children.supervisor());
		ChildStatus adopted = next.start().block(WAIT);

		assertThat(adopted.pid()).isEqualTo(pid);
		assertThat(adopted.adopted()).isTrue();
		assertThat(adopted.state()).isEqualTo(ChildState.RUNNING);
		assertThat(this.children.running()).extracting(ProcessHandle::pid).containsExactly(pid);

		ProcessHandle.of(pid).orElseThrow().destroyForcibly();
		ChildStatus restarted = awaitRunningOtherThan(next, pid);
		assertThat(restarted.adopted()).isFalse();
		assertThat(this.children.running()).extracting(ProcessHandle::pid).containsExactly(restarted.pid());
	}

	private GatewaySupervisor gateway(ProcessSupervisor supervisor) {
		return new GatewaySupervisor(supervisor,
				this.children.definition("gateway", "gateway", PortPlan.fixed(this.port), false), "127.0.0.1",
				JarLaunch.plain(Path.of("unused.jar")));
	}

	private static ChildStatus awaitRunning(GatewaySupervisor gateway) {
		gateway.start().block(WAIT);
		await().atMost(WAIT).until(() -> gateway.status().orElseThrow().state() == ChildState.RUNNING);
		return gateway.status().orElseThrow();
	}

	private static ChildStatus awaitRunningOtherThan(GatewaySupervisor gateway, long pid) {
		await().atMost(WAIT).until(() -> {
			ChildStatus status = gateway.status().orElseThrow();
			return status.state() == ChildState.RUNNING && status.pid() != pid;
		});
		return gateway.status().orElseThrow();
	}

}
