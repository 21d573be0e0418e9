package dev.llmserve.controller.local;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.llmserve.controller.discovery.ScrapeTarget;
import dev.llmserve.controller.discovery.ScrapeTargetSource;
import dev.llmserve.controller.local.supervision.ChildDefinition;
import dev.llmserve.controller.local.supervision.ChildState;
import dev.llmserve.controller.local.supervision.ChildStatus;
import dev.llmserve.controller.local.supervision.ProcessSupervisor;

/**
 * The gateway and the worker agents local mode runs, as {@code service=gateway} and
 * {@code service=worker} scrape targets on the ports they got (free ones, with base port
 * 0, change at every restart).
 */
final class LocalScrapeTargets implements ScrapeTargetSource {

	private final ProcessSupervisor supervisor;

	private final String host;

	LocalScrapeTargets(ProcessSupervisor supervisor, String host) {
		this.supervisor = supervisor;
		this.host = host;
	}

	@Override
	public List<ScrapeTarget> scrapeTargets() {
		return this.supervisor.status().stream().map(this::target).filter(Objects::nonNull).toList();
	}

	private ScrapeTarget target(ChildStatus child) {
		Integer port = child.ports().get(ChildDefinition.HTTP_PORT);
		if (port == null || child.state() == ChildState.STOPPED) {
			return null;
		}
		Map<String, String> labels = child.role().equals(ChildDefinitions.WORKER)
				? Map.of("service", "worker", "worker", child.id()) : Map.of("service", child.role());
		return new ScrapeTarget(this.host + ":" + port, labels);
	}

}
