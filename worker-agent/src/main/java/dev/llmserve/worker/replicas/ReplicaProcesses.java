package dev.llmserve.worker.replicas;

import java.time.Duration;
import java.util.function.Consumer;

import dev.llmserve.proto.ReplicaSpec;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Spawns and stops replica processes on a scheduler meant for blocking work, never on the
 * caller's thread.
 */
final class ReplicaProcesses {

	private final ReplicaLauncher launcher;

	private final Scheduler blocking;

	private final Duration stopGrace;

	ReplicaProcesses(ReplicaLauncher launcher, Scheduler blocking, Duration stopGrace) {
		this.launcher = launcher;
		this.blocking = blocking;
		this.stopGrace = stopGrace;
	}

	/** Where blocking work (spawning, signalling, binding probe sockets) runs. */
	Scheduler scheduler() {
		return this.blocking;
	}

	Duration stopGrace() {
		return this.stopGrace;
	}

	/**
	 * Spawns the launch's process, calling {@code onSpawned} or {@code onError} before
	 * the launch's process future completes. The spawn goes ahead even if the returned
	 * {@code Mono} is cancelled, so a process is never started without being tracked.
	 */
	Mono<Void> spawn(ReplicaSpec spec, Launch launch, Consumer<ReplicaProcess> onSpawned, Consumer<Throwable> onError) {
		this.blocking.schedule(() -> {
			try {
				ReplicaProcess process = this.launcher.launch(spec, launch.ports(), launch.restarts());
				onSpawned.accept(process);
				launch.process().complete(process);
			}
			catch (Exception ex) {
				launch.process().completeExceptionally(ex);
				onError.accept(ex);
			}
		});
		return Mono.fromFuture(launch.process(), true).then().onErrorResume((ex) -> Mono.empty());
	}

	/**
	 * Stops the launch's process (once it is spawned) within {@code grace}; completes
	 * when it is gone.
	 */
	Mono<Void> stop(Launch launch, Duration grace) {
		return Mono.fromFuture(launch.process(), true)
			.flatMap((process) -> Mono.fromRunnable(() -> process.stop(grace)).subscribeOn(this.blocking))
			.onErrorResume((ex) -> Mono.empty())
			.then();
	}

}
