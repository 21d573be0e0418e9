package dev.llmserve.worker.health;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.llmserve.worker.replicas.ProbeTarget;
import dev.llmserve.worker.replicas.ReplicaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.context.SmartLifecycle;

/**
 * Checks every starting or ready replica at a fixed interval: SERVING makes a starting
 * one READY and refreshes its load; a replica that stays unhealthy past its deadline is
 * killed and handed to the restart policy like a crashed one.
 */
final class HealthMonitor implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

	private static final int MAX_CONCURRENT_PROBES = 32;

	private final ReplicaRegistry registry;

	private final ReplicaProbe probe;

	private final ReplicaChannels channels;

	private final HealthDeadlines deadlines;

	private final Clock clock;

	private final Duration interval;

	private final Scheduler timer;

	private volatile Disposable checks;

	HealthMonitor(ReplicaRegistry registry, ReplicaProbe probe, ReplicaChannels channels, HealthDeadlines deadlines,
			Clock clock, Duration interval, Scheduler timer) {
		this.registry = registry;
		this.probe = probe;
		this.channels = channels;
		this.deadlines = deadlines;
		this.clock = clock;
		this.interval = interval;
		this.timer = timer;
	}

	@Override
	public void start() {
		// A round slower than the interval drops the ticks it overlaps instead of
		// queueing them.
		this.checks = Flux.interval(this.interval, this.interval, this.timer)
			.onBackpressureDrop()
			.concatMap((tick) -> checkAll(), 1)
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable current = this.checks;
		if (current != null) {
			current.dispose();
		}
		this.checks = null;
	}

	@Override
	public boolean isRunning() {
		return this.checks != null;
	}

	/** One round: every target once, in parallel. */
	Mono<Void> checkAll() {
		List<ProbeTarget> targets = this.registry.probeTargets();
		this.channels.retainOnly(targets.stream().map(ProbeTarget::grpcPort).toList());
		return Flux.fromIterable(targets).flatMap(this::check, MAX_CONCURRENT_PROBES).then();
	}

	private Mono<Void> check(ProbeTarget target) {
		return this.probe.probe(target.grpcPort()).flatMap((result) -> apply(target, result)).onErrorResume((ex) -> {
			log.error("Health check of replica {} failed", target.replicaId(), ex);
			return Mono.empty();
		});
	}

	private Mono<Void> apply(ProbeTarget target, ProbeResult result) {
		if (result.serving()) {
			this.registry.healthy(target, result.load());
			return Mono.empty();
		}
		log.debug("Replica {} not serving: {}", target.replicaId(), result.detail());
		this.registry.unhealthy(target);
		return this.deadlines.overdue(target, this.clock.instant())
			.map((reason) -> this.registry.recycle(target, reason))
			.orElse(Mono.empty());
	}

}
