package dev.llmserve.controller.nodes;

/** Where a node is in its life, as its provisioner sees it. */
public enum NodeState {

	/**
	 * Asked for and not up yet: a process starting or restarting, an instance booting.
	 */
	PENDING,

	/** Up; its worker agent may or may not have registered yet. */
	RUNNING,

	/** Released and being stopped or terminated. */
	TERMINATING

}
