package dev.llmserve.gateway.routing;

import java.util.Objects;

/**
 * One model replica that the gateway can send {@code Generate} calls to.
 *
 * @param id unique id of the replica
 * @param deployment the deployment (served model name) it belongs to
 * @param host gRPC host
 * @param port gRPC port
 * @param state its lifecycle state
 */
public record Replica(String id, String deployment, String host, int port, ReplicaState state) {

	public Replica {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(deployment, "deployment");
		Objects.requireNonNull(host, "host");
		Objects.requireNonNull(state, "state");
		if (port <= 0 || port > 65535) {
			throw new IllegalArgumentException("port: %d (expected: 1..65535)".formatted(port));
		}
	}

	/**
	 * The gRPC address as {@code host:port}; replicas with the same address share a
	 * channel.
	 */
	public String address() {
		return this.host + ":" + this.port;
	}

	/** Whether new requests may be routed to it. */
	public boolean isReady() {
		return this.state == ReplicaState.READY;
	}

}
