package dev.llmserve.controller.local.supervision;

import java.time.Instant;
import java.util.Map;

/**
 * What a supervised child is doing, for health endpoints and logs.
 *
 * @param role what the child is
 * @param id its id
 * @param state where it is in its life
 * @param pid the process id, or 0 while there is no process
 * @param ports its ports by name
 * @param adopted whether the process was started by an earlier controller and adopted
 * @param restarts how often it was restarted by this controller
 * @param lastRestartReason why it was last restarted, or {@code null}
 * @param since when it entered its state
 */
public record ChildStatus(String role, String id, ChildState state, long pid, Map<String, Integer> ports,
		boolean adopted, int restarts, String lastRestartReason, Instant since) {

	public ChildStatus {
		ports = Map.copyOf(ports);
	}

	/** How logs name the child: {@code gateway}, {@code worker local-0}. */
	public String name() {
		return this.role.equals(this.id) ? this.id : this.role + " " + this.id;
	}

}
