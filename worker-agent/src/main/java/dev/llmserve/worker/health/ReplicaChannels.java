package dev.llmserve.worker.health;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;

import org.springframework.beans.factory.DisposableBean;

/**
 * One gRPC channel per live replica port on loopback; channels of replicas that are gone
 * are closed.
 */
final class ReplicaChannels implements DisposableBean {

	private final Map<Integer, ManagedChannel> channels = new HashMap<>();

	synchronized ManagedChannel channel(int port) {
		return this.channels.computeIfAbsent(port,
				(key) -> NettyChannelBuilder.forAddress("127.0.0.1", key).usePlaintext().build());
	}

	/** Closes the channels of every port not in {@code livePorts}. */
	synchronized void retainOnly(Collection<Integer> livePorts) {
		this.channels.entrySet().removeIf((entry) -> {
			if (livePorts.contains(entry.getKey())) {
				return false;
			}
			entry.getValue().shutdownNow();
			return true;
		});
	}

	synchronized int size() {
		return this.channels.size();
	}

	@Override
	public synchronized void destroy() throws InterruptedException {
		this.channels.values().forEach(ManagedChannel::shutdownNow);
		for (ManagedChannel channel : this.channels.values()) {
			channel.awaitTermination(1, TimeUnit.SECONDS);
		}
		this.channels.clear();
	}

}
