package dev.llmserve.controller.local.supervision;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Keeps one child process running: restarts it when it ends (at once, with a growing
 * delay only while it keeps ending quickly) and kills and restarts it when it stops
 * answering its health check.
 *
 * <p>
 * Every field is confined to one single-threaded scheduler, where process events, timers
 * and check results are all handled in turn; readers get the immutable {@link #status()}.
 */
final class SupervisedChild {

	private static final Logger log = LoggerFactory.getLogger(SupervisedChild.class);

	private static final int OUTPUT_LINES_LOGGED = 10;

	private final ChildDefinition definition;

	private final HealthProbe probe;

	private final HealthCheck health;

	private final RestartBackoff backoff;

	private final Clock clock;

	private final Scheduler scheduler;

	private final Consumer<ChildRecord> recorder;

	private Map<String, Integer> ports = Map.of();

	private ChildProcess process;

	private ChildState state = ChildState.STARTING;

	private Instant startedAt;

	private boolean adopted;

	private boolean answered;

	private int failures;

	/** When the current run of failed checks began. */
	private Instant failingSince;

	private String killReason;

	private int restarts;

	private String lastRestartReason;

	private boolean stopping;

	private Disposable pendingRestart = Disposables.disposed();

	private volatile ChildStatus status;

	SupervisedChild(ChildDefinition definition, HealthProbe probe, HealthCheck health, RestartPolicy restart,
			Clock clock, Scheduler scheduler, Consumer<ChildRecord> recorder) {
		this.definition = definition;
		this.probe = probe;
		this.health = health;
		this.backoff = new RestartBackoff(restart, clock);
		this.clock = clock;
		this.scheduler = scheduler;
		this.recorder = recorder;
		this.status = snapshot();
	}

	String id() {
		return this.definition.id();
	}

	ChildStatus status() {
		return this.status;
	}

	/** Starts a new process and keeps it running. */
	Mono<ChildStatus> start() {
		return onScheduler(() -> {
			launch();
			scheduleCheck(this.health.interval());
		});
	}

	/** Keeps running a process an earlier controller started on {@code ports}. */
	Mono<ChildStatus> adopt(ProcessHandle handle, Map<String, Integer> ports) {
		return onScheduler(() -> {
			this.ports = Map.copyOf(ports);
			this.adopted = true;
			this.startedAt = this.clock.instant();
			watch(new AdoptedChild(handle, this.scheduler), ChildState.RUNNING);
			scheduleCheck(this.health.interval());
		});
	}

	/** Stops the process tree for good: SIGTERM, SIGKILL after {@code grace}. */
	Mono<Void> stop(Duration grace) {
		return Mono.fromCallable(() -> {
			this.stopping = true;
			this.pendingRestart.dispose();
			setState(ChildState.STOPPING);
			return Optional.ofNullable(this.process);
		})
			.subscribeOn(this.scheduler)
			.flatMap((current) -> current.map((child) -> child.stop(grace).doOnNext((gone) -> {
				if (!gone) {
					log.warn("{} (pid {}) did not stop within {}", this.definition.name(), child.pid(), grace);
				}
			})).orElse(Mono.just(true)))
			.doOnSuccess((gone) -> {
				ChildStatus last = this.status;
				this.status = new ChildStatus(last.role(), last.id(), ChildState.STOPPED, 0, last.ports(),
						last.adopted(), last.restarts(), last.lastRestartReason(), this.clock.instant());
			})
			.then();
	}

	private Mono<ChildStatus> onScheduler(Runnable action) {
		return Mono.fromCallable(() -> {
			action.run();
			return this.status;
		}).subscribeOn(this.scheduler);
	}

	private void launch() {
		if (this.stopping) {
			return;
		}
		this.ports = this.definition.ports().forNewProcess();
		List<String> command = this.definition.commandFor(this.ports);
		this.startedAt = this.clock.instant();
		ChildProcess started;
		try {
			started = StartedChild.start(this.definition, command);
		}
		catch (IOException | RuntimeException ex) {
			restartLater(null, "could not be started (" + ex + ")");
			return;
		}
		this.adopted = false;
		watch(started, ChildState.STARTING);
		record(started, command);
	}

	private void record(ChildProcess started, List<String> command) {
		Instant startInstant = ProcessHandle.of(started.pid())
			.flatMap((handle) -> handle.info().startInstant())
			.orElse(null);
		try {
			this.recorder.accept(new ChildRecord(this.definition.role(), this.definition.id(), started.pid(),
					startInstant, this.ports, command));
		}
		catch (RuntimeException ex) {
			log.error("Could not record {} (pid {}); a controller started after this one dies cannot adopt it",
					this.definition.name(), started.pid(), ex);
		}
	}

	private void watch(ChildProcess child, ChildState initial) {
		this.process = child;
		this.answered = initial == ChildState.RUNNING;
		this.failures = 0;
		this.killReason = null;
		setState(initial);
		child.onExit().whenComplete((exitCode, error) -> execute(() -> ended(child, exitCode), Duration.ZERO));
	}

	private void ended(ChildProcess child, Integer exitCode) {
		if (child != this.process || this.stopping) {
			return;
		}
		String reason = (this.killReason != null) ? this.killReason
				: (exitCode != null) ? "exited with code " + exitCode : "exited";
		restartLater(child, reason);
	}

	private void restartLater(ChildProcess ended, String reason) {
		Duration delay = this.backoff.next(this.startedAt, this.answered);
		long pid = (ended != null) ? ended.pid() : 0;
		boolean byItself = ended != null && this.killReason == null;
		this.process = null;
		this.killReason = null;
		this.restarts++;
		this.lastRestartReason = reason;
		setState(ChildState.RESTARTING);
		log.warn("{}{} {}; restarting it {} (log: {}){}", this.definition.name(),
				(pid != 0) ? " (pid " + pid + ")" : "", reason,
				delay.isZero() ? "now" : "in " + delay.toMillis() + " ms", this.definition.logFile(),
				byItself ? lastOutput(ended) : "");
		this.pendingRestart = execute(this::launch, delay);
	}

	private static String lastOutput(ChildProcess ended) {
		List<String> output = ended.recentOutput();
		if (output.isEmpty()) {
			return "";
		}
		List<String> last = output.subList(Math.max(0, output.size() - OUTPUT_LINES_LOGGED), output.size());
		return "; its last output:\n    " + String.join("\n    ", last);
	}

	private void scheduleCheck(Duration delay) {
		if (!this.stopping) {
			execute(this::check, delay);
		}
	}

	private void check() {
		ChildProcess target = this.process;
		if (this.stopping) {
			return;
		}
		if (target == null || this.killReason != null) {
			scheduleCheck(this.health.interval());
			return;
		}
		long began = System.nanoTime();
		this.probe.check(ChildDefinition.httpPort(this.ports))
			.onErrorReturn(false)
			.defaultIfEmpty(false)
			.publishOn(this.scheduler)
			// The next check is due an interval after this one began, however long it
			// took.
			.doFinally((signal) -> scheduleCheck(this.health.interval().minusNanos(System.nanoTime() - began)))
			.subscribe((answered) -> checked(target, answered), (error) -> {
			});
	}

	private void checked(ChildProcess target, boolean answered) {
		if (target != this.process || this.stopping || this.killReason != null) {
			return;
		}
		if (answered) {
			this.answered = true;
			this.failures = 0;
			if (this.state == ChildState.STARTING) {
				setState(ChildState.RUNNING);
				log.info("{} (pid {}) is up, {} ms after it was started", this.definition.name(), target.pid(),
						Duration.between(this.startedAt, this.clock.instant()).toMillis());
			}
			return;
		}
		if (this.state == ChildState.STARTING) {
			if (Duration.between(this.startedAt, this.clock.instant()).compareTo(this.health.startupTimeout()) > 0) {
				kill(target, "did not answer its health check within " + this.health.startupTimeout());
			}
			return;
		}
		Instant now = this.clock.instant();
		if (this.failures++ == 0) {
			this.failingSince = now;
		}
		Duration failing = Duration.between(this.failingSince, now);
		if (this.failures >= this.health.failureThreshold()
				&& failing.compareTo(this.health.unresponsiveTimeout()) >= 0) {
			kill(target, "stopped answering its health check (%d failures in a row over %d s)".formatted(this.failures,
					failing.toSeconds()));
		}
	}

	private void kill(ChildProcess target, String reason) {
		this.killReason = reason;
		log.warn("{} (pid {}) {}; killing it", this.definition.name(), target.pid(), reason);
		target.kill();
	}

	private void setState(ChildState state) {
		this.state = state;
		this.status = snapshot();
	}

	private ChildStatus snapshot() {
		return new ChildStatus(this.definition.role(), this.definition.id(), this.state,
				(this.process != null) ? this.process.pid() : 0, this.ports, this.adopted, this.restarts,
				this.lastRestartReason, this.clock.instant());
	}

	/** Runs {@code task} on the scheduler; nothing happens once the scheduler is gone. */
	private Disposable execute(Runnable task, Duration delay) {
		try {
			return this.scheduler.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			return Disposables.disposed();
		}
	}

}
