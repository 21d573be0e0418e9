package dev.llmserve.controller.local.supervision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Looks at processes that are not necessarily our children. A process whose parent died
 * is re-parented, and where nobody reaps it (PID 1 of some containers does not) it stays
 * a zombie after it ends, which {@link ProcessHandle#isAlive()} still reports as alive;
 * here a zombie counts as gone.
 */
final class LiveProcesses {

	private static final Duration POLL = Duration.ofMillis(100);

	private LiveProcesses() {
	}

	/** The process with this pid, if one runs. */
	static Optional<ProcessHandle> running(long pid) {
		return ProcessHandle.of(pid).filter(LiveProcesses::isRunning);
	}

	static boolean isRunning(ProcessHandle handle) {
		return handle.isAlive() && !isZombie(handle.pid());
	}

	/**
	 * The root followed by all its descendants, collected before anything is signalled.
	 */
	static List<ProcessHandle> tree(ProcessHandle root) {
		List<ProcessHandle> tree = new ArrayList<>();
		tree.add(root);
		root.descendants().forEach(tree::add);
		return tree;
	}

	/** SIGKILL to every process of the tree; does not wait. */
	static void kill(List<ProcessHandle> tree) {
		tree.forEach(ProcessHandle::destroyForcibly);
	}

	/**
	 * Runs {@code stop} (which blocks) and emits its result, or {@code true} as soon as
	 * no process of the tree runs, whichever comes first. Descendants re-parented to a
	 * PID 1 that does not reap them stay zombies, which the JDK reports as alive and a
	 * blocking stop waits out until its kill timeout; they are gone all the same. The
	 * stop is never interrupted: it goes on in the background if the tree is gone first.
	 */
	static Mono<Boolean> stopTree(Callable<Boolean> stop, List<ProcessHandle> tree) {
		return Mono.defer(() -> {
			CompletableFuture<Boolean> stopped = new CompletableFuture<>();
			Schedulers.boundedElastic().schedule(() -> {
				try {
					stopped.complete(stop.call());
				}
				catch (Exception ex) {
					stopped.completeExceptionally(ex);
				}
			});
			return Mono.firstWithValue(Mono.fromFuture(stopped, true), awaitGone(tree));
		});
	}

	/** Emits {@code true} once no process of the tree runs; never completes before. */
	static Mono<Boolean> awaitGone(List<ProcessHandle> tree) {
		return Flux.interval(Duration.ZERO, POLL, Schedulers.boundedElastic())
			.filter((tick) -> tree.stream().noneMatch(LiveProcesses::isRunning))
			.next()
			.thenReturn(true);
	}

	private static boolean isZombie(long pid) {
		Path stat = Path.of("/proc", Long.toString(pid), "stat");
		try {
			// "pid (command) S ...": the state follows the last ')', as the command may
			// hold one.
			String line = Files.readString(stat);
			int end = line.lastIndexOf(')');
			char state = (end >= 0 && end + 2 < line.length()) ? line.charAt(end + 2) : '?';
			return state == 'Z' || state == 'X';
		}
		catch (IOException | RuntimeException ex) {
			// No /proc here (not Linux), or the process just ended: isAlive() decides.
			return false;
		}
	}

}
