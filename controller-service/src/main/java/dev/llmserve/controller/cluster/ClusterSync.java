package dev.llmserve.controller.cluster;

import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Whether the controller's view of the cluster is complete. After a start it is not until
 * the startup grace passed, so that workers could re-register and report what they run:
 * until then nothing is placed, stopped or published.
 */
public final class ClusterSync {

	private final AtomicBoolean synced = new AtomicBoolean();

	private final Sinks.Empty<Void> done = Sinks.empty();

	public boolean isSynced() {
		return this.synced.get();
	}

	/** Completes once synced (at once if already). */
	public Mono<Void> whenSynced() {
		return this.done.asMono();
	}

	public void markSynced() {
		if (this.synced.compareAndSet(false, true)) {
			this.done.tryEmitEmpty();
		}
	}

}
