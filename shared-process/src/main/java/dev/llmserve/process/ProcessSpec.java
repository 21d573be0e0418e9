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
 * {@value ParentWatchdog#PARENT_PID_ENV}) so it can exit when this JVM dies; without it
 * the child still inherits whatever supervisor pid this JVM was given
 * @param logFile where the child's output is appended, or {@code null} to copy it into
 * our log; a file keeps working for a child that outlives us, where a pipe to us would
 * break
 */
public record ProcessSpec(String name, List<String> command, Map<String, String> environment, Path workingDirectory,
		boolean watchParent, Path logFile) {

	public ProcessSpec {
		if (command.isEmpty()) {
			throw new IllegalArgumentException("command: [] (expected: a program to run)");
		}
		command = List.copyOf(command);
		environment = Map.copyOf(environment);
	}

	public static ProcessSpec of(String name, List<String> command) {
		return new ProcessSpec(name, command, Map.of(), null, true, null);
	}

	public ProcessSpec withEnvironment(Map<String, String> environment) {
		return new ProcessSpec(this.name, this.command, environment, this.workingDirectory, this.watchParent,
				this.logFile);
	}

	public ProcessSpec withWorkingDirectory(Path workingDirectory) {
		return new ProcessSpec(this.name, this.command, this.environment, workingDirectory, this.watchParent,
				this.logFile);
	}

	/** A child meant to outlive this JVM (it is adopted by our next run instead). */
	public ProcessSpec outlivingParent() {
		return new ProcessSpec(this.name, this.command, this.environment, this.workingDirectory, false, this.logFile);
	}

	public ProcessSpec withLogFile(Path logFile) {
		return new ProcessSpec(this.name, this.command, this.environment, this.workingDirectory, this.watchParent,
				logFile);
	}

}
