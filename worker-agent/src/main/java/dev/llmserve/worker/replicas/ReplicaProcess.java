package dev.llmserve.worker.replicas;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A running replica-service process, as the registry needs it. */
interface ReplicaProcess {

	long pid();

	/** Completes with the exit code when the process ends, however it ends. */
	CompletableFuture<Integer> onExit();

	/** The last lines the process printed. */
	List<String> recentOutput();

	/**
	 * Stops the replica: SIGTERM to it alone, so that it drains its streams and then
	 * stops its engine itself; whatever is left of its process tree after {@code grace}
	 * is killed. Blocks, so call it off event loops.
	 */
	void stop(Duration grace);

}
