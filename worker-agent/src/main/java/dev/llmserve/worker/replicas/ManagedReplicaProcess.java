package dev.llmserve.worker.replicas;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.llmserve.process.ManagedProcess;
import dev.llmserve.process.ProcessTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A replica-service process started through the shared process supervisor. */
final class ManagedReplicaProcess implements ReplicaProcess {

	private static final Logger log = LoggerFactory.getLogger(ManagedReplicaProcess.class);

	/** How long an engine left behind by its replica gets after SIGTERM. */
	private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(2);

	private final ManagedProcess process;

	ManagedReplicaProcess(ManagedProcess process) {
		this.process = process;
	}

	@Override
	public long pid() {
		return this.process.pid();
	}

	@Override
	public CompletableFuture<Integer> onExit() {
		return this.process.onExit();
	}

	@Override
	public List<String> recentOutput() {
		return this.process.recentOutput();
	}

	@Override
	public void stop(Duration grace) {
		// Collected first: once the replica is gone its engine is re-parented out of
		// reach.
		List<ProcessHandle> descendants = ProcessHandle.of(pid())
			.map((root) -> root.descendants().toList())
			.orElse(List.of());
		// SIGTERM to the replica alone: signalling its engine too would cut the streams
		// it is draining.
		ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroy);
		if (!exitsWithin(grace)) {
			log.warn("{} (pid {}) still running {} after SIGTERM; killing its process tree", this.process.name(), pid(),
					grace);
			this.process.stop(Duration.ZERO);
		}
		descendants.stream()
			.filter(ProcessHandle::isAlive)
			.forEach((leftover) -> ProcessTrees.stop(leftover, LEFTOVER_GRACE));
	}

	private boolean exitsWithin(Duration grace) {
		try {
			this.process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (TimeoutException | ExecutionException ex) {
			return !this.process.isAlive();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return !this.process.isAlive();
		}
	}

}
