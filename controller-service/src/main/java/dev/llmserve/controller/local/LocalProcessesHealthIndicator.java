package dev.llmserve.controller.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.llmserve.controller.local.supervision.ChildState;
import dev.llmserve.controller.local.supervision.ChildStatus;
import dev.llmserve.controller.local.supervision.ProcessSupervisor;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * {@code localProcesses}: each child's state; up while every one answers its health
 * check. Not part of readiness: the controller serves whether or not the gateway runs.
 */
final class LocalProcessesHealthIndicator extends AbstractHealthIndicator {

	private final ProcessSupervisor supervisor;

	LocalProcessesHealthIndicator(ProcessSupervisor supervisor) {
		super("Local processes health check failed");
		this.supervisor = supervisor;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		List<ChildStatus> children = this.supervisor.status();
		boolean allRunning = children.stream().allMatch((child) -> child.state() == ChildState.RUNNING);
		(allRunning ? builder.up() : builder.down()).withDetails(details(children));
	}

	private static Map<String, Object> details(List<ChildStatus> children) {
		Map<String, Object> details = new LinkedHashMap<>();
		for (ChildStatus child : children) {
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("role", child.role());
			detail.put("state", child.state());
			detail.put("pid", child.pid());
			detail.put("ports", child.ports());
			detail.put("adopted", child.adopted());
			detail.put("restarts", child.restarts());
			if (child.lastRestartReason() != null) {
				detail.put("lastRestartReason", child.lastRestartReason());
			}
			detail.put("since", child.since());
			details.put(child.id(), detail);
		}
		return details;
	}

}
