package dev.llmserve.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to run as a supervised child process.
 *
 * @param name short name used as the log prefix, e.g. {@code engine replica-1}
 * @param command the program and its arguments
 * @param environment variables added to the inherited environment
 * @param workingDirectory where to run it, or {@code null} for the current directory
 * @param watchParent whether the child is told this JVM's pid (in
 * {@value ParentWatchdog#PARENT_PID_ENV}) so it can exit when this JVM dies
 */
public record ProcessSpec(String name, List<String> command, Map<String, String> environment, Path workingDirectory,
		boolean watchParent) {

	public ProcessSpec {
		if (command.isEmpty()) {
			throw new IllegalArgumentException("command: [] (expected: a program to run)");
		}
		command = List.copyOf(command);
		environment = Map.copyOf(environment);
	}

	public static ProcessSpec of(String name, List<String> command) {
		return new ProcessSpec(name, command, Map.of(), null, true);
	}

	public ProcessSpec withEnvironment(Map<String, String> environment) {
		return new ProcessSpec(this.name, this.command, environment, this.workingDirectory, this.watchParent);
	}

	public ProcessSpec withWorkingDirectory(Path workingDirectory) {
		return new ProcessSpec(this.name, this.command, this.environment, workingDirectory, this.watchParent);
	}

}
