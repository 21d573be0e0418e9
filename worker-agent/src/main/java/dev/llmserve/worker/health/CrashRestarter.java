package dev.llmserve.worker.health;

import java.time.Clock;

import dev.llmserve.worker.replicas.ReplicaFailure;
import dev.llmserve.worker.replicas.ReplicaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.context.SmartLifecycle;

/**
 * Restarts replicas whose process failed, after the backoff the policy asks for, keeping
 * their id and GPUs; gives up on those that fail too often.
 */
final class CrashRestarter implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(CrashRestarter.class);

	/** Replicas a node can hold at once is far below this. */
	private static final int MAX_PENDING_RESTARTS = 256;

	private final ReplicaRegistry registry;

	private final RestartPolicy policy;

	private final Clock clock;

	private final Scheduler timer;

	private volatile Disposable restarts;

	CrashRestarter(ReplicaRegistry registry, RestartPolicy policy, Clock clock, Scheduler timer) {
		this.registry = registry;
		this.policy = policy;
		this.clock = clock;
		this.timer = timer;
	}

	@Override
	public void start() {
		this.restarts = this.registry.failures().flatMap(this::handle, MAX_PENDING_RESTARTS).subscribe();
	}

	@Override
	public void stop() {
		Disposable current = this.restarts;
		if (current != null) {
			current.dispose();
		}
		this.restarts = null;
	}

	@Override
	public boolean isRunning() {
		return this.restarts != null;
	}

	Mono<Void> handle(ReplicaFailure failure) {
		RestartDecision decision = this.policy.decide(failure.restartTimes(), this.clock.instant());
		if (!decision.restart()) {
			this.registry.giveUp(failure,
					"gave up: %s; last failure: %s".formatted(decision.reason(), failure.message()));
			return Mono.empty();
		}
		log.info("Restarting replica {} in {}", failure.replicaId(), decision.delay());
		return Mono.delay(decision.delay(), this.timer).then(this.registry.relaunch(failure)).onErrorResume((ex) -> {
			log.error("Restarting replica {} failed", failure.replicaId(), ex);
			return Mono.empty();
		});
	}

}
