package dev.llmserve.controller.cluster;

import java.util.List;

import dev.llmserve.proto.ReplicaState;

/** Replicas for tests. */
public final class Replicas {

	private Replicas() {
	}

	public static Replica replica(String id, String deployment, String workerId, ReplicaState state, String... gpuIds) {
		return new Replica(id, deployment, workerId, List.of(gpuIds), state,
				"127.0.0.1:" + (9000 + Math.abs(id.hashCode() % 1000)),
				"127.0.0.1:" + (10000 + Math.abs(id.hashCode() % 1000)), Load.NONE, 0, "");
	}

	public static Replica ready(String id, String deployment, String workerId, String... gpuIds) {
		return replica(id, deployment, workerId, ReplicaState.REPLICA_READY, gpuIds);
	}

	public static Replica withLoad(Replica replica, Load load) {
		return new Replica(replica.id(), replica.deployment(), replica.workerId(), replica.gpuIds(), replica.state(),
				replica.address(), replica.httpAddress(), load, replica.restarts(), replica.message());
	}

}
