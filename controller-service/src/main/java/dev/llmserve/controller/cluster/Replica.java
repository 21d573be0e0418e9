package dev.llmserve.controller.cluster;

import java.util.List;

import dev.llmserve.proto.ReplicaState;

/**
 * A replica as its worker reports it (with the controller's DRAINING mark applied).
 *
 * @param id unique replica id ({@code <deployment>-<suffix>})
 * @param deployment the deployment it serves
 * @param workerId the worker that runs it
 * @param gpuIds the GPUs it holds on that worker
 * @param state what it is doing
 * @param address its gRPC address, host:port (empty until it listens)
 * @param httpAddress its Actuator HTTP address, host:port (empty until it runs, and from
 * workers that do not report it)
 * @param load its last reported load
 * @param restarts how many times its worker restarted it
 * @param message why it is FAILED or DRAINING
 */
public record Replica(String id, String deployment, String workerId, List<String> gpuIds, ReplicaState state,
		String address, String httpAddress, Load load, int restarts, String message) {

	public Replica {
		gpuIds = List.copyOf(gpuIds);
	}

	/** STARTING or READY: counts towards the deployment's replicas. */
	public boolean isLive() {
		return this.state == ReplicaState.REPLICA_STARTING || this.state == ReplicaState.REPLICA_READY;
	}

	/** Whether its GPUs are taken: until it has stopped. */
	public boolean holdsGpus() {
		return this.state != ReplicaState.REPLICA_STOPPED;
	}

	/** READY or DRAINING: in the routing snapshot. */
	public boolean isRouted() {
		return this.state == ReplicaState.REPLICA_READY || this.state == ReplicaState.REPLICA_DRAINING;
	}

	Replica withState(ReplicaState state) {
		return new Replica(this.id, this.deployment, this.workerId, this.gpuIds, state, this.address, this.httpAddress,
				this.load, this.restarts, this.message);
	}

	Replica withoutLoad() {
		return new Replica(this.id, this.deployment, this.workerId, this.gpuIds, this.state, this.address,
				this.httpAddress, Load.NONE, this.restarts, this.message);
	}

}
