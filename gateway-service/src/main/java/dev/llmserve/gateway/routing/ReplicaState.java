package dev.llmserve.gateway.routing;

/**
 * Lifecycle state of a replica as the routing table's source reports it.
 */
public enum ReplicaState {

	/** Serving; new requests may be sent to it. */
	READY,

	/** Finishing its streams before it stops; no new requests. */
	DRAINING,

	/** Known but not serving (starting, failed, or stopped). */
	UNAVAILABLE

}
