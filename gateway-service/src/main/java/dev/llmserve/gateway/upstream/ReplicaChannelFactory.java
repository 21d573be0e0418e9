package dev.llmserve.gateway.upstream;

import io.grpc.ManagedChannel;

/**
 * Opens the long-lived channel to one replica address; tests swap in in-process channels.
 */
@FunctionalInterface
public interface ReplicaChannelFactory {

	/** A new channel to {@code host:port}. */
	ManagedChannel create(String host, int port);

}
