package dev.llmserve.controller.deployments.api;

import java.util.List;

import dev.llmserve.controller.cluster.Load;
import dev.llmserve.controller.cluster.Replica;

/**
 * One replica of a deployment, as the admin API shows it.
 *
 * @param id replica id
 * @param state STARTING, READY, DRAINING, FAILED or STOPPED
 * @param workerId the worker that runs it
 * @param address its gRPC address (empty until it listens)
 * @param gpuIds the GPUs it holds on its worker
 * @param load its last reported load
 * @param restarts how many times its worker restarted it
 * @param message why it is FAILED or DRAINING
 */
record ReplicaView(String id, String state, String workerId, String address, List<String> gpuIds, LoadView load,
		int restarts, String message) {

	static ReplicaView of(Replica replica) {
		return new ReplicaView(replica.id(), replica.state().name().replace("REPLICA_", ""), replica.workerId(),
				replica.address(), replica.gpuIds(), LoadView.of(replica.load()), replica.restarts(),
				replica.message());
	}

	/**
	 * @param running sequences the engine runs
	 * @param waiting sequences waiting in the engine
	 * @param kvCacheUsage KV cache usage, 0..1
	 * @param inFlight requests the replica serves
	 */
	record LoadView(int running, int waiting, double kvCacheUsage, int inFlight) {

		static LoadView of(Load load) {
			return new LoadView(load.running(), load.waiting(), load.kvCacheUsage(), load.inFlight());
		}

	}

}
