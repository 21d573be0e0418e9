package dev.llmserve.replica.engine;

/**
 * Ends this replica when its engine is lost. A replica without an engine is useless, and
 * the worker agent restarts replicas that exit, so exiting is the recovery.
 */
@FunctionalInterface
public interface ReplicaTerminator {

	/** The engine exited while serving. */
	int ENGINE_EXITED = 2;

	/** The engine could not be started or did not become healthy in time. */
	int ENGINE_START_FAILED = 4;

	/**
	 * Shuts the replica down (stopping the engine's process tree) and exits with the
	 * code.
	 */
	void terminate(int exitCode);

}
