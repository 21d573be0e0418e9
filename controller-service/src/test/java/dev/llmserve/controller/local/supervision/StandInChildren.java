package dev.llmserve.controller.local.supervision;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Supervised children for tests: a small Python HTTP server that answers the liveness
 * probe, each carrying a marker on its command line so that whatever a test started can
 * be found (and killed) again.
 */
public final class StandInChildren implements AutoCloseable {

	/** Quick checks, so that tests notice within a second. */
	public static final HealthCheck HEALTH = new HealthCheck("/actuator/health/liveness", Duration.ofMillis(100),
			Duration.ofMillis(500), 3, Duration.ofSeconds(15), Duration.ofMillis(300));

	public static final RestartPolicy RESTART = new RestartPolicy(Duration.ofMillis(100), Duration.ofSeconds(1),
			Duration.ofSeconds(10));

	private final String marker = "llmserve-test-" + UUID.randomUUID();

	private final List<ProcessSupervisor> supervisors = new ArrayList<>();

	private final Path dataDir;

	public StandInChildren(Path dataDir) {
		this.dataDir = dataDir;
	}

	public String marker() {
		return this.marker;
	}

	/** A child on the given ports that answers on the one named {@code http}. */
	public ChildDefinition definition(String role, String id, PortPlan ports, boolean grandchild) {
		return new ChildDefinition(role, id, this.dataDir.resolve("logs").resolve(id + ".log"), ports,
				(assigned) -> command(assigned.get(ChildDefinition.HTTP_PORT), grandchild));
	}

	public List<String> command(int port, boolean grandchild) {
		List<String> command = new ArrayList<>(
				List.of("python3", script().toString(), "--port", Integer.toString(port), "--marker", this.marker));
		if (grandchild) {
			command.add("--grandchild");
		}
		return command;
	}

	/**
	 * A supervisor of this test's children, as a controller on {@link #dataDir} would
	 * run. Disposing of {@code scheduler} makes it stop at once without stopping
	 * anything, like a controller killed with SIGKILL.
	 */
	public ProcessSupervisor supervisor(Scheduler scheduler) {
		return supervisor(scheduler, HEALTH);
	}

	public ProcessSupervisor supervisor(Scheduler scheduler, HealthCheck health) {
		ProcessSupervisor supervisor = new ProcessSupervisor(new ProcessRecordFile(recordFile()),
				new HttpHealthProbe(health), health, RESTART, Duration.ofSeconds(3), Clock.systemUTC(), scheduler);
		this.supervisors.add(supervisor);
		return supervisor;
	}

	public Path recordFile() {
		return this.dataDir.resolve("local").resolve("processes.json");
	}

	public ProcessSupervisor supervisor() {
		return supervisor(Schedulers.newSingle("test-supervisor", true));
	}

	/** This test's processes that run (zombies excluded), with their descendants. */
	public List<ProcessHandle> running() {
		return ProcessHandle.allProcesses()
			.filter((handle) -> handle.info().commandLine().orElse("").contains(this.marker))
			.filter(LiveProcesses::isRunning)
			.toList();
	}

	/** The one running process of this test that listens on {@code port}. */
	public List<ProcessHandle> runningOn(int port) {
		String argument = "--port " + port + " ";
		return running().stream()
			.filter((handle) -> handle.info().commandLine().orElse("").contains(argument))
			.toList();
	}

	public static void signal(long pid, String signal) throws IOException, InterruptedException {
		new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
	}

	public static Map<String, Integer> freeHttpPort() {
		return PortPlan.ephemeral(ChildDefinition.HTTP_PORT).forNewProcess();
	}

	/** Stops every supervisor, then kills whatever of this test still runs. */
	@Override
	public void close() {
		for (ProcessSupervisor supervisor : this.supervisors) {
			try {
				supervisor.stopAll().block(Duration.ofSeconds(10));
			}
			catch (RuntimeException ex) {
				// Its scheduler was disposed of on purpose: the kill below cleans up.
			}
			supervisor.close();
		}
		for (ProcessHandle handle : running()) {
			handle.destroyForcibly();
		}
	}

	private static Path script() {
		try {
			return Path
				.of(Objects.requireNonNull(StandInChildren.class.getResource("/local/standin-child.py")).toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
