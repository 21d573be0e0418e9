package dev.llmserve.controller.local.supervision;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A child process to keep running: what it is, where its output goes, which ports it gets
 * and the command that runs it on those ports.
 *
 * @param role what the child is, e.g. {@code gateway} or {@code worker}
 * @param id unique among the children of one supervisor, stable across restarts of the
 * child and of the controller (it is how a recorded process is found again)
 * @param logFile where the child's output is appended; a file, so that the child can
 * outlive the controller
 * @param ports the ports a new process gets; the one named {@value #HTTP_PORT} answers
 * the health check
 * @param command the command line for the given ports
 */
public record ChildDefinition(String role, String id, Path logFile, PortPlan ports,
		Function<Map<String, Integer>, List<String>> command) {

	/** The name of the port that answers the health check. */
	public static final String HTTP_PORT = "http";

	public ChildDefinition {
		Objects.requireNonNull(role, "role");
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(logFile, "logFile");
		Objects.requireNonNull(ports, "ports");
		Objects.requireNonNull(command, "command");
	}

	/** How logs name the child: {@code gateway}, {@code worker local-0}. */
	public String name() {
		return this.role.equals(this.id) ? this.id : this.role + " " + this.id;
	}

	List<String> commandFor(Map<String, Integer> ports) {
		return List.copyOf(this.command.apply(ports));
	}

	static int httpPort(Map<String, Integer> ports) {
		Integer port = ports.get(HTTP_PORT);
		if (port == null) {
			throw new IllegalStateException("ports: %s (expected: one named %s)".formatted(ports, HTTP_PORT));
		}
		return port;
	}

}
