package dev.llmserve.process;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A supervised child process: its output goes to our log with a prefix, its exit is
 * observable, and stopping it stops its whole process tree.
 */
public final class ManagedProcess implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(ManagedProcess.class);

	private static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

	private final ProcessSpec spec;

	private final Process process;

	private final OutputPump output;

	private final CompletableFuture<Integer> exit;

	private final boolean groupLeader;

	private ManagedProcess(ProcessSpec spec, Process process, OutputPump output, boolean groupLeader) {
		this.spec = spec;
		this.process = process;
		this.output = output;
		this.groupLeader = groupLeader;
		this.exit = process.onExit().thenApply(Process::exitValue);
	}

	/** Starts the process; its output is logged under {@code logger}. */
	public static ManagedProcess start(ProcessSpec spec, Logger logger) throws IOException {
		boolean groupLeader = ProcessGroups.supported();
		List<String> command = groupLeader ? ProcessGroups.leaderCommand(spec.command()) : spec.command();
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(spec.environment());
		if (spec.watchParent()) {
			builder.environment().put(ParentWatchdog.PARENT_PID_ENV, Long.toString(ProcessHandle.current().pid()));
		}
		if (spec.workingDirectory() != null) {
			builder.directory(spec.workingDirectory().toFile());
		}
		if (spec.logFile() != null) {
			Files.createDirectories(spec.logFile().toAbsolutePath().getParent());
			builder.redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
		}
		Process process = builder.start();
		OutputPump output = new OutputPump(process.getInputStream(), spec.name(), logger);
		if (spec.logFile() == null) {
			Thread pump = new Thread(output, "output-" + spec.name());
			pump.setDaemon(true);
			pump.start();
		}
		log.info("Started {} (pid {}){}: {}", spec.name(), process.pid(),
				(spec.logFile() != null) ? ", output to " + spec.logFile() : "", String.join(" ", spec.command()));
		return new ManagedProcess(spec, process, output, groupLeader);
	}

	public static ManagedProcess start(ProcessSpec spec) throws IOException {
		return start(spec, LoggerFactory.getLogger("llmserve.child." + spec.name().replace(' ', '.')));
	}

	public String name() {
		return this.spec.name();
	}

	public long pid() {
		return this.process.pid();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** Completes with the exit code when the process ends, however it ends. */
	public CompletableFuture<Integer> onExit() {
		return this.exit;
	}

	/** The last lines the process printed (at most {@value OutputPump#RECENT_LINES}). */
	public List<String> recentOutput() {
		return (this.spec.logFile() != null) ? LogTail.lastLines(this.spec.logFile(), OutputPump.RECENT_LINES)
				: this.output.recentLines();
	}

	/**
	 * Calls {@code listener} with every line the process prints from now on (not for a
	 * process whose output goes to a log file).
	 */
	public void onOutput(Consumer<String> listener) {
		this.output.addListener(listener);
	}

	/**
	 * Stops the process, its whole tree and the process group it leads (which still holds
	 * descendants that were re-parented): SIGTERM to the process, {@code grace} for it to
	 * stop its own children, then SIGTERM and SIGKILL to whatever is left. Also useful
	 * right after the process died by itself, to clean up what it left. Blocks, so call
	 * it off event loops.
	 * @return whether every process of the tree is gone
	 */
	public boolean stop(Duration grace) {
		boolean stopped = ProcessTrees.stop(this.process.toHandle(), grace, this.groupLeader);
		if (!stopped) {
			log.warn("{} (pid {}) did not stop", this.spec.name(), pid());
		}
		return stopped;
	}

	@Override
	public void close() {
		stop(DEFAULT_GRACE);
	}

}
