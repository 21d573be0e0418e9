package dev.llmserve.controller.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.llmserve.controller.local.supervision.ChildDefinition;
import dev.llmserve.controller.local.supervision.ProcessSupervisor;
import dev.llmserve.controller.local.supervision.StandInChildren;
import dev.llmserve.controller.nodes.Node;
import dev.llmserve.controller.nodes.NodeState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Local nodes with stand-in worker agents on free ports ({@code base-port: 0}). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalNodeProvisionerIntegrationTests {

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
	void startsTheRequestedNodesOnceActivatedAndNoMoreWhenAskedAgain() {
		LocalNodeProvisioner nodes = provisioner(this.children.supervisor());
		nodes.ensureNodes(2);
		assertThat(nodes.plannedIds()).containsExactlyInAnyOrder("local-0", "local-1");
		assertThat(this.children.running()).isEmpty();

		nodes.activate().block(WAIT);
		awaitRunning(nodes, 2);
		nodes.ensureNodes(1);
		nodes.ensureNodes(2);

		List<Node> running = nodes.nodes();
		assertThat(running).extracting(Node::id).containsExactly("local-0", "local-1");
		assertThat(running).extracting(Node::address)
			.doesNotHaveDuplicates()
			.allMatch((a) -> a.startsWith("127.0.0.1:"));
		assertThat(this.children.running()).hasSize(2);
	}

	@Test
	void releaseStopsTheNodeAndALaterRequestStartsAnother() {
		LocalNodeProvisioner nodes = provisioner(this.children.supervisor());
		nodes.activate().block(WAIT);
		nodes.ensureNodes(2);
		awaitRunning(nodes, 2);

		nodes.release("local-1");

		await().atMost(WAIT).until(() -> nodes.nodes().size() == 1 && this.children.running().size() == 1);
		nodes.ensureNodes(2);
		awaitRunning(nodes, 2);
		assertThat(this.children.running()).hasSize(2);
	}

	@Test
	void aProvisionerOnTheSameDataDirectoryAdoptsTheRunningWorkersOnTheirFreePorts() {
		Scheduler dyingController = Schedulers.newSingle("dying-controller", true);
		LocalNodeProvisioner before = provisioner(this.children.supervisor(dyingController));
		before.activate().block(WAIT);
		before.ensureNodes(2);
		awaitRunning(before, 2);
		List<Node> nodesBefore = before.nodes();
		List<Long> pids = this.children.running().stream().map(ProcessHandle::pid).sorted().toList();
		dyingController.dispose();

		LocalNodeProvisioner after = provisioner(this.children.supervisor());
		after.ensureNodes(2);
		after.activate().block(WAIT);

		awaitRunning(after, 2);
		assertThat(after.nodes()).isEqualTo(nodesBefore);
		assertThat(this.children.running().stream().map(ProcessHandle::pid).sorted()).isEqualTo(pids);
	}

	private LocalNodeProvisioner provisioner(ProcessSupervisor supervisor) {
		return new LocalNodeProvisioner(supervisor, this::worker, "127.0.0.1");
	}

	private ChildDefinition worker(int index) {
		return this.children.definition("worker", ChildDefinitions.workerId(index),
				ChildDefinitions.workerPorts(0, index), false);
	}

	private static void awaitRunning(LocalNodeProvisioner nodes, int count) {
		await().atMost(WAIT)
			.until(() -> nodes.nodes().stream().filter((node) -> node.state() == NodeState.RUNNING).count() == count);
	}

}
