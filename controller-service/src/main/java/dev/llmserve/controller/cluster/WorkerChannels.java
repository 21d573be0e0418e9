package dev.llmserve.controller.cluster;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;

/**
 * One long-lived channel per worker address, opened on first use and shut down
 * (gracefully: calls in flight finish within their deadline) once no live worker has that
 * address.
 */
final class WorkerChannels implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(WorkerChannels.class);

	private final Function<String, ManagedChannel> factory;

	private final ConcurrentMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();

	WorkerChannels(Function<String, ManagedChannel> factory) {
		this.factory = factory;
	}

	/** Plaintext HTTP/2 over grpc-netty. */
	static ManagedChannel netty(String address) {
		HostAndPort target = HostAndPort.parse(address);
		return NettyChannelBuilder.forAddress(target.host(), target.port()).usePlaintext().build();
	}

	ManagedChannel channel(String address) {
		return this.channels.computeIfAbsent(address, (key) -> {
			logger.debug("Opening a channel to worker {}", key);
			return this.factory.apply(key);
		});
	}

	/** Closes the channels of addresses not in {@code live}. */
	void retain(Set<String> live) {
		this.channels.entrySet().removeIf((entry) -> {
			boolean gone = !live.contains(entry.getKey());
			if (gone) {
				logger.debug("Closing the channel to {}: no live worker there", entry.getKey());
				entry.getValue().shutdown();
			}
			return gone;
		});
	}

	Set<String> addresses() {
		return Set.copyOf(this.channels.keySet());
	}

	@Override
	public void destroy() {
		this.channels.values().forEach(ManagedChannel::shutdownNow);
		this.channels.clear();
	}

}
