package dev.llmserve.controller.local.supervision;

/** Where a supervised child is in its life. */
public enum ChildState {

	/** Started (or restarted) and not answering its health check yet. */
	STARTING,

	/** Answering its health check (a failed check or two do not change that). */
	RUNNING,

	/** Ended or killed; waiting for its restart. */
	RESTARTING,

	/** Being stopped for good. */
	STOPPING,

	/** Stopped for good. */
	STOPPED

}
