package dev.llmserve.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts children as leaders of their own process group ({@code setsid}) and signals
 * whole groups. A group still reaches a grandchild after its parent died and it was
 * re-parented (vLLM's EngineCore, for one), which walking the process tree can no longer
 * find.
 */
final class ProcessGroups {

	private static final Optional<Path> SETSID = firstExecutable("/usr/bin/setsid", "/bin/setsid");

	private static final Optional<Path> KILL = firstExecutable("/usr/bin/kill", "/bin/kill");

	private ProcessGroups() {
	}

	/** Whether children can be given their own group and groups can be signalled here. */
	static boolean supported() {
		return SETSID.isPresent() && KILL.isPresent();
	}

	/**
	 * The command that runs {@code command} as a new group leader with the same pid:
	 * setsid execs in place, since a child of the JVM is never a group leader already.
	 */
	static List<String> leaderCommand(List<String> command) {
		List<String> wrapped = new ArrayList<>(command.size() + 1);
		wrapped.add(SETSID.orElseThrow().toString());
		wrapped.addAll(command);
		return wrapped;
	}

	/**
	 * Sends {@code signal} (e.g. TERM, KILL) to every process of the group led by
	 * {@code pgid}.
	 */
	static void signal(long pgid, String signal) {
		try {
			Process kill = new ProcessBuilder(KILL.orElseThrow().toString(), "-" + signal, "--", "-" + pgid)
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			kill.waitFor(5, TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			// The group is gone or kill is unusable; the per-process signals still apply.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static Optional<Path> firstExecutable(String... candidates) {
		for (String candidate : candidates) {
			Path path = Path.of(candidate);
			if (Files.isExecutable(path)) {
				return Optional.of(path);
			}
		}
		return Optional.empty();
	}

}
