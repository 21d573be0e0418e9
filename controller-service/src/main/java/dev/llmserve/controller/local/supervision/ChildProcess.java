package dev.llmserve.controller.local.supervision;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import reactor.core.publisher.Mono;

/**
 * A running child: one we started, or one an earlier controller started and we adopted.
 */
interface ChildProcess {

	long pid();

	boolean isRunning();

	/** Completes when the process has ended, with its exit code when it is known. */
	CompletableFuture<Integer> onExit();

	/** SIGKILL to the process and all its descendants, at once; does not wait. */
	void kill();

	/**
	 * SIGTERM to the process and all its descendants, SIGKILL to what is left after
	 * {@code grace}.
	 * @return whether every process of the tree is gone
	 */
	Mono<Boolean> stop(Duration grace);

	/** The last lines the process printed, where they are known. */
	List<String> recentOutput();

}
