package dev.llmserve.controller.nodes;

import java.util.Objects;
import java.util.Optional;

/**
 * One machine (or, in local mode, one process) that runs a worker agent.
 *
 * @param id stable for the node's lifetime; the worker agent registers under it
 * @param state how far the node is from running, or on its way out
 * @param address the worker agent's gRPC {@code host:port}, or {@code null} while it is
 * not known yet (a cloud instance still being launched)
 */
public record Node(String id, NodeState state, String address) {

	public Node {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(state, "state");
	}

	/** The worker agent's gRPC address, once known. */
	public Optional<String> knownAddress() {
		return Optional.ofNullable(this.address);
	}

}
