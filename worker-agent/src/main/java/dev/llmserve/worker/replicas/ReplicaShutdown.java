package dev.llmserve.worker.replicas;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * When the worker stops, stops every replica's process tree, in parallel, each within the
 * stop grace. First to stop, so heartbeats still report the replicas draining.
 */
final class ReplicaShutdown implements SmartLifecycle {

	static final int PHASE = SmartLifecycle.DEFAULT_PHASE;

	private static final Logger log = LoggerFactory.getLogger(ReplicaShutdown.class);

	private final ReplicaRegistry registry;

	private final Duration grace;

	private volatile boolean running;

	ReplicaShutdown(ReplicaRegistry registry, Duration grace) {
		this.registry = registry;
		this.grace = grace;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		stop(() -> {
		});
	}

	@Override
	public void stop(Runnable callback) {
		log.info("Stopping every replica (grace {})", this.grace);
		this.registry.stopAll(this.grace).doFinally((signal) -> {
			this.running = false;
			log.info("Every replica is stopped");
			callback.run();
		}).subscribe();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
