package dev.llmserve.gateway.upstream;

import io.grpc.ManagedChannel;

/**
 * Opens the long-lived channels to one replica address; tests swap in in-process
 * channels.
 *
 * <p>
 * A factory may open one channel per lane (an I/O thread of the gateway) so that a call
 * made on a lane's thread runs on a connection served by that same thread: a request read
 * from the client, its call to the replica and every chunk back to the client then stay
 * on one thread, with no hand-off between event loops.
 */
@FunctionalInterface
public interface ReplicaChannelFactory {

	/** A new channel to {@code host:port}. */
	ManagedChannel create(String host, int port);

	/** A new channel to {@code host:port} for the given lane. */
	default ManagedChannel create(String host, int port, int lane) {
		return create(host, port);
	}

	/** How many channels to open per replica address. */
	default int lanes() {
		return 1;
	}

	/** The lane of the calling thread, in {@code [0, lanes())}. */
	default int currentLane() {
		return 0;
	}

}
