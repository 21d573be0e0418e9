package dev.llmserve.process;

import java.time.Duration;
import java.util.Optional;
import java.util.function.IntConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends this process when the process that started it is gone, so that a supervisor killed
 * with SIGKILL never leaves its children running. Linux has no portable parent-death
 * signal for the JVM, so the child polls: the supervisor's pid comes in
 * {@value #PARENT_PID_ENV}.
 */
public final class ParentWatchdog {

	public static final String PARENT_PID_ENV = "LLMSERVE_PARENT_PID";

	/** The exit code used when the parent disappears. */
	public static final int ORPHANED_EXIT_CODE = 3;

	private static final Logger log = LoggerFactory.getLogger(ParentWatchdog.class);

	private final ProcessHandle parent;

	private final Duration interval;

	private final IntConsumer exit;

	ParentWatchdog(ProcessHandle parent, Duration interval, IntConsumer exit) {
		this.parent = parent;
		this.interval = interval;
		this.exit = exit;
	}

	/**
	 * Starts watching the parent named in the environment, if any. When it disappears the
	 * JVM exits through {@link System#exit}, so shutdown hooks still stop this process's
	 * children.
	 * @return whether a parent is being watched
	 */
	public static boolean startFromEnvironment() {
		return parentFromEnvironment().map((parent) -> {
			new ParentWatchdog(parent, Duration.ofMillis(500), System::exit).start();
			return true;
		}).orElse(false);
	}

	static Optional<ProcessHandle> parentFromEnvironment() {
		String pid = System.getenv(PARENT_PID_ENV);
		if (pid == null || pid.isBlank()) {
			return Optional.empty();
		}
		try {
			return Optional.of(ProcessHandle.of(Long.parseLong(pid.trim()))
				.orElseThrow(() -> new IllegalStateException("parent process " + pid + " is already gone")));
		}
		catch (NumberFormatException ex) {
			throw new IllegalStateException(PARENT_PID_ENV + ": " + pid + " (expected: a process id)", ex);
		}
	}

	void start() {
		Thread thread = new Thread(this::watch, "parent-watchdog");
		thread.setDaemon(true);
		thread.start();
	}

	private void watch() {
		try {
			while (this.parent.isAlive()) {
				Thread.sleep(this.interval.toMillis());
			}
			log.error("Parent process {} is gone; exiting so that nothing is left orphaned", this.parent.pid());
			this.exit.accept(ORPHANED_EXIT_CODE);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
