package dev.llmserve.controller.local.supervision;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Keeps child processes running on this machine, and records them so that they survive
 * this controller: a controller started after this one was killed adopts the children
 * that are still running and healthy instead of starting second copies.
 *
 * <p>
 * Process work (forking, stopping, polling) runs on the given single-threaded scheduler
 * or on {@link Schedulers#boundedElastic()}, never on the caller's thread.
 */
public final class ProcessSupervisor implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(ProcessSupervisor.class);

	/** How long a new child waits for its ports, e.g. held by a process being stopped. */
	private static final Duration PORT_RELEASE_WAIT = Duration.ofSeconds(10);

	private final ProcessRecordFile records;

	private final HealthProbe probe;

	private final HealthCheck health;

	private final RestartPolicy restart;

	private final Duration stopGrace;

	private final Clock clock;

	private final Scheduler scheduler;

	private final Map<String, SupervisedChild> children = new ConcurrentHashMap<>();

	private final Set<String> claimed = ConcurrentHashMap.newKeySet();

	private volatile boolean closed;

	/**
	 * @param scheduler single-threaded; every child's events are handled on it. The
	 * supervisor owns it and disposes of it on {@link #close()}.
	 */
	public ProcessSupervisor(ProcessRecordFile records, HealthProbe probe, HealthCheck health, RestartPolicy restart,
			Duration stopGrace, Clock clock, Scheduler scheduler) {
		this.records = records;
		this.probe = probe;
		this.health = health;
		this.restart = restart;
		this.stopGrace = stopGrace;
		this.clock = clock;
		this.scheduler = scheduler;
	}

	/**
	 * Keeps the child running from now on: adopts the recorded process if it is still the
	 * one recorded, runs the expected command and answers its health check; otherwise
	 * starts a new one. Does nothing for a child already supervised.
	 * @return the child's status once it is adopted or its process started
	 */
	public Mono<ChildStatus> run(ChildDefinition definition) {
		return Mono.defer(() -> {
			if (this.closed || !this.claimed.add(definition.id())) {
				return Mono.justOrEmpty(status(definition.id()));
			}
			return this.records.find(definition.id())
				.map((record) -> resume(definition, record))
				.orElseGet(() -> startNew(definition))
				.doOnError((ex) -> this.claimed.remove(definition.id()));
		}).subscribeOn(Schedulers.boundedElastic());
	}

	/** Stops the child's process tree and forgets it; an unknown id is ignored. */
	public Mono<Void> release(String id) {
		return Mono.defer(() -> {
			SupervisedChild child = this.children.get(id);
			if (child == null) {
				return Mono.empty();
			}
			ChildStatus status = child.status();
			log.info("Stopping {}{}", status.name(), (status.pid() != 0) ? " (pid " + status.pid() + ")" : "");
			return child.stop(this.stopGrace).then(Mono.fromRunnable(() -> {
				this.records.remove(id);
				this.children.remove(id);
				this.claimed.remove(id);
			}));
		});
	}

	/** Stops every child for good (adopted ones too) and takes no new ones. */
	public Mono<Void> stopAll() {
		return Mono.defer(() -> {
			this.closed = true;
			return Flux.fromIterable(List.copyOf(this.children.keySet())).flatMap(this::release).then();
		});
	}

	/**
	 * Stops and forgets the recorded children, left by an earlier controller, whose ids
	 * are not in {@code keep}: the configuration no longer asks for them. A recorded pid
	 * that now belongs to another process is left alone.
	 */
	public Mono<Void> discardOthers(Set<String> keep) {
		return Mono
			.defer(() -> Flux.fromIterable(this.records.all())
				.filter((record) -> !keep.contains(record.id()) && !this.claimed.contains(record.id()))
				.concatMap(this::discard)
				.then())
			.subscribeOn(Schedulers.boundedElastic());
	}

	/** Every supervised child, by id. */
	public List<ChildStatus> status() {
		return this.children.values()
			.stream()
			.map(SupervisedChild::status)
			.sorted(Comparator.comparing(ChildStatus::id))
			.toList();
	}

	public Optional<ChildStatus> status(String id) {
		return Optional.ofNullable(this.children.get(id)).map(SupervisedChild::status);
	}

	/** Stops supervising (not the children: that is {@link #stopAll()}). */
	@Override
	public void close() {
		this.closed = true;
		this.scheduler.dispose();
	}

	private Mono<ChildStatus> resume(ChildDefinition definition, ChildRecord record) {
		Optional<ProcessHandle> handle = LiveProcesses.running(record.pid());
		Optional<Instant> runningSince = handle.flatMap((found) -> found.info().startInstant());
		PortPlan plan = definition.ports();
		List<String> expected = definition
			.commandFor(plan.accepts(record.ports()) ? record.ports() : plan.forNewProcess());
		boolean worthAsking = AdoptionPolicy.isRecordedProcess(record, runningSince)
				&& record.command().equals(expected);
		Mono<Boolean> answers = worthAsking ? awaitAnswer(record) : Mono.just(false);
		return answers.publishOn(Schedulers.boundedElastic()).flatMap((answered) -> {
			AdoptionPolicy.Decision decision = AdoptionPolicy.decide(record, runningSince, expected, answered);
			return switch (decision.action()) {
				case ADOPT -> adopt(definition, record, handle.orElseThrow(), decision.reason());
				case REPLACE -> replace(definition, record, handle.orElseThrow(), decision.reason());
				case START_NEW -> {
					log.info("Not adopting {} (pid {}): {}; starting a new one", definition.name(), record.pid(),
							decision.reason());
					yield startNew(definition);
				}
			};
		});
	}

	/**
	 * Whether the recorded process answers: within the usual failure window, or until the
	 * end of its startup timeout if it was started only just before the last controller
	 * died.
	 */
	private Mono<Boolean> awaitAnswer(ChildRecord record) {
		Duration window = this.health.failureWindow();
		Duration startupLeft = Duration.between(this.clock.instant(),
				record.startInstant().plus(this.health.startupTimeout()));
		if (startupLeft.compareTo(window) > 0) {
			window = startupLeft;
		}
		int port = ChildDefinition.httpPort(record.ports());
		return Flux.interval(Duration.ZERO, this.health.interval())
			.onBackpressureDrop()
			.concatMap((tick) -> this.probe.check(port), 1)
			.filter(Boolean::booleanValue)
			.next()
			.timeout(window, Mono.just(false));
	}

	private Mono<ChildStatus> adopt(ChildDefinition definition, ChildRecord record, ProcessHandle handle,
			String reason) {
		log.info("Adopted {} (pid {}, ports {}): {}", definition.name(), record.pid(), record.ports(), reason);
		return register(definition).flatMap((child) -> child.adopt(handle, record.ports()));
	}

	private Mono<ChildStatus> replace(ChildDefinition definition, ChildRecord record, ProcessHandle handle,
			String reason) {
		log.warn("Replacing {} (pid {}): {}", definition.name(), record.pid(), reason);
		return new AdoptedChild(handle, this.scheduler).stop(this.stopGrace)
			.then(Mono.fromRunnable(() -> this.records.remove(record.id())))
			.then(startNew(definition));
	}

	private Mono<ChildStatus> startNew(ChildDefinition definition) {
		return Mono.defer(() -> {
			this.records.remove(definition.id());
			Map<String, Integer> ports = definition.ports().forNewProcess();
			return Ports.awaitFree(ports.values(), PORT_RELEASE_WAIT).flatMap((free) -> {
				if (!free) {
					log.warn("Port(s) {} of {} are held by another process; starting it anyway, "
							+ "and restarting it until they are free", ports.values(), definition.name());
				}
				return register(definition);
			}).flatMap(SupervisedChild::start);
		});
	}

	private Mono<SupervisedChild> register(ChildDefinition definition) {
		SupervisedChild child = new SupervisedChild(definition, this.probe, this.health, this.restart, this.clock,
				this.scheduler, this.records::put);
		this.children.put(definition.id(), child);
		if (this.closed) {
			// stopAll() began meanwhile and may not have seen this child: it never runs.
			this.children.remove(definition.id());
			return Mono.empty();
		}
		return Mono.just(child);
	}

	private Mono<Void> discard(ChildRecord record) {
		Optional<ProcessHandle> handle = LiveProcesses.running(record.pid());
		boolean ours = AdoptionPolicy.isRecordedProcess(record, handle.flatMap((found) -> found.info().startInstant()));
		Mono<Boolean> stopped = Mono.just(true);
		if (ours) {
			log.info("Stopping {} {} (pid {}): no longer configured", record.role(), record.id(), record.pid());
			stopped = new AdoptedChild(handle.orElseThrow(), this.scheduler).stop(this.stopGrace);
		}
		return stopped.then(Mono.fromRunnable(() -> this.records.remove(record.id())));
	}

}
