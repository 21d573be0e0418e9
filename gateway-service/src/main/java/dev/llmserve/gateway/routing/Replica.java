package dev.llmserve.gateway.routing;

import java.util.Objects;

import dev.llmserve.proto.ReplicaLoad;

/**
 * One model replica that the gateway can send {@code Generate} calls to.
 *
 * @param id unique id of the replica; the gateway's own stats (in-flight calls,
 * cool-down) follow the id from one table to the next
 * @param deployment the deployment (served model name) it belongs to
 * @param host gRPC host
 * @param port gRPC port
 * @param state its lifecycle state
 * @param workerId the worker that runs it (empty when unknown, as in static routes)
 * @param load the load its source last reported (the default instance when none); the
 * gateway's own {@code GetLoad} polls take precedence
 */
public record Replica(String id, String deployment, String host, int port, ReplicaState state, String workerId,
		ReplicaLoad load) {

	public Replica {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(deployment, "deployment");
		Objects.requireNonNull(host, "host");
		Objects.requireNonNull(state, "state");
		Objects.requireNonNull(workerId, "workerId");
		Objects.requireNonNull(load, "load");
		if (port <= 0 || port > 65535) {
			throw new IllegalArgumentException("port: %d (expected: 1..65535)".formatted(port));
		}
	}

	/** A replica with no known worker or load. */
	public Replica(String id, String deployment, String host, int port, ReplicaState state) {
		this(id, deployment, host, port, state, "", ReplicaLoad.getDefaultInstance());
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
