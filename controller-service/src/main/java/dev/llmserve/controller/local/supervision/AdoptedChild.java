package dev.llmserve.controller.local.supervision;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.llmserve.process.ProcessTrees;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A child an earlier controller started and this one adopted. It is not our child: the OS
 * does not tell us when it ends, so its end is polled for (a zombie counts as ended), and
 * its exit code is unknown.
 */
final class AdoptedChild implements ChildProcess {

	/**
	 * Often enough that an adopted gateway killed with SIGKILL is back about as fast as
	 * our own.
	 */
	static final Duration EXIT_POLL = Duration.ofMillis(200);

	private final ProcessHandle handle;

	private final CompletableFuture<Integer> exit = new CompletableFuture<>();

	AdoptedChild(ProcessHandle handle, Scheduler scheduler) {
		this.handle = handle;
		Flux.interval(EXIT_POLL, scheduler)
			.filter((tick) -> !isRunning())
			.next()
			.subscribe((tick) -> this.exit.complete(null), this.exit::completeExceptionally);
	}

	@Override
	public long pid() {
		return this.handle.pid();
	}

	@Override
	public boolean isRunning() {
		return LiveProcesses.isRunning(this.handle);
	}

	@Override
	public CompletableFuture<Integer> onExit() {
		return this.exit;
	}

	@Override
	public void kill() {
		LiveProcesses.kill(LiveProcesses.tree(this.handle));
	}

	@Override
	public Mono<Boolean> stop(Duration grace) {
		if (!isRunning()) {
			return Mono.just(true);
		}
		List<ProcessHandle> tree = LiveProcesses.tree(this.handle);
		return LiveProcesses.stopTree(() -> ProcessTrees.stop(this.handle, grace), tree);
	}

	@Override
	public List<String> recentOutput() {
		return List.of();
	}

}
