package dev.llmserve.controller.nodes;

import java.util.List;

/**
 * How the controller gets the machines its worker agents run on: processes on this
 * machine in local mode, cloud instances elsewhere.
 *
 * <p>
 * Calls never block and are idempotent, so a level-triggered loop can call them on every
 * pass: a request is taken at once and carried out in the background, and
 * {@link #nodes()} shows how far it got. A node is not useful until its worker agent
 * registers with the controller; {@link NodeState#RUNNING} only says the machine (or
 * process) is up.
 */
public interface NodeProvisioner {

	/**
	 * Makes sure at least {@code count} nodes exist or are on their way, starting more
	 * when there are fewer. Never removes a node: that is {@link #release(String)}.
	 * @param count the number of nodes wanted, at least 0
	 */
	void ensureNodes(int count);

	/** Every node this provisioner runs, in whatever state, ordered by id. */
	List<Node> nodes();

	/**
	 * Gives a node back: it is no longer needed and its replicas have been moved or
	 * drained. A provisioner may keep it for a grace period before ending it (an idle
	 * cloud instance that may be wanted again soon); an unknown id is ignored.
	 */
	void release(String nodeId);

}
