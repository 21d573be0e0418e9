package dev.llmserve.controller.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.llmserve.controller.discovery.ScrapeTarget;
import dev.llmserve.controller.local.supervision.ChildDefinition;
import dev.llmserve.controller.local.supervision.ChildStatus;
import dev.llmserve.controller.local.supervision.ProcessSupervisor;
import dev.llmserve.controller.local.supervision.StandInChildren;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway and workers local mode supervises are scrape targets on the HTTP ports they
 * got, with stand-in child processes.
 */
class LocalScrapeTargetsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@TempDir
	Path dataDir;

	private StandInChildren children;

	@AfterEach
	void stop() {
		if (this.children != null) {
			this.children.close();
		}
	}

	@Test
	void theGatewayAndEveryWorkerAreTargetsOnTheirHttpPorts() {
		this.children = new StandInChildren(this.dataDir);
		ProcessSupervisor supervisor = this.children.supervisor();
		ChildStatus gateway = supervisor
			.run(this.children.definition(ChildDefinitions.GATEWAY, ChildDefinitions.GATEWAY,
					ChildDefinitions.workerPorts(0, 0), false))
			.block(TIMEOUT);
		ChildStatus worker = supervisor
			.run(this.children.definition(ChildDefinitions.WORKER, "local-0", ChildDefinitions.workerPorts(0, 0),
					false))
			.block(TIMEOUT);

		assertThat(new LocalScrapeTargets(supervisor, "127.0.0.1").scrapeTargets()).containsExactlyInAnyOrder(
				new ScrapeTarget("127.0.0.1:" + gateway.ports().get(ChildDefinition.HTTP_PORT),
						Map.of("service", "gateway")),
				new ScrapeTarget("127.0.0.1:" + worker.ports().get(ChildDefinition.HTTP_PORT),
						Map.of("service", "worker", "worker", "local-0")));
	}

	@Test
	void aReleasedChildIsNoLongerATarget() {
		this.children = new StandInChildren(this.dataDir);
		ProcessSupervisor supervisor = this.children.supervisor();
		supervisor
			.run(this.children.definition(ChildDefinitions.WORKER, "local-0", ChildDefinitions.workerPorts(0, 0),
					false))
			.block(TIMEOUT);

		supervisor.release("local-0").block(TIMEOUT);

		assertThat(new LocalScrapeTargets(supervisor, "127.0.0.1").scrapeTargets()).isEmpty();
	}

}
