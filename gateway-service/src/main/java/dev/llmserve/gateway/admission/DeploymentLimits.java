package dev.llmserve.gateway.admission;

import java.time.Duration;

/**
 * The admission limits of one deployment, resolved from the routing table and
 * {@link AdmissionProperties}.
 *
 * @param perReplica concurrent requests per routable replica; 0 for no limit
 * @param queueFactor the queue's size as a multiple of the capacity
 * @param maxWait the longest a request waits in the queue
 */
record DeploymentLimits(int perReplica, double queueFactor, Duration maxWait) {

	/** The capacity with {@code routableReplicas} replicas that can take requests. */
	Capacity capacity(int routableReplicas) {
		if (this.perReplica == 0) {
			return new Capacity(Capacity.UNLIMITED, 0, this.maxWait);
		}
		long permits = Math.min((long) this.perReplica * routableReplicas, Capacity.UNLIMITED - 1);
		long queue = (long) Math.ceil(this.queueFactor * permits);
		return new Capacity((int) permits, (int) Math.min(queue, Integer.MAX_VALUE), this.maxWait);
	}

}
