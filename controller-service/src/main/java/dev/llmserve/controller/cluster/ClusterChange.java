package dev.llmserve.controller.cluster;

/** What changed in the cluster's actual state. */
public enum ClusterChange {

	/** A worker registered (or re-registered with another address or GPUs). */
	WORKER_JOINED,

	/** A worker was declared dead and forgotten, with its replicas. */
	WORKER_LEFT,

	/** Replicas appeared, disappeared or changed state, address or restarts. */
	REPLICAS_CHANGED,

	/** Only replicas' loads changed. */
	LOADS_CHANGED

}
