package dev.llmserve.worker.replicas;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A replica process whose exit a test decides. */
public final class FakeReplicaProcess implements ReplicaProcess {

	private final long pid;

	private final CompletableFuture<Integer> exit = new CompletableFuture<>();

	private final List<Duration> stops = new CopyOnWriteArrayList<>();

	private volatile List<String> output = List.of();

	FakeReplicaProcess(long pid) {
		this.pid = pid;
	}

	@Override
	public long pid() {
		return this.pid;
	}

	@Override
	public CompletableFuture<Integer> onExit() {
		return this.exit;
	}

	@Override
	public List<String> recentOutput() {
		return this.output;
	}

	/** Stopping ends it as SIGTERM does. */
	@Override
	public void stop(Duration grace) {
		this.stops.add(grace);
		this.exit.complete(143);
	}

	/** Ends the process on its own, after printing {@code lines}. */
	public void crash(int exitCode, String... lines) {
		this.output = List.of(lines);
		this.exit.complete(exitCode);
	}

	public boolean isAlive() {
		return !this.exit.isDone();
	}

	/** The grace of every stop it received. */
	public List<Duration> stops() {
		return List.copyOf(this.stops);
	}

}
