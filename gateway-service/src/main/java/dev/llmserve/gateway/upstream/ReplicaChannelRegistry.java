package dev.llmserve.gateway.upstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.llmserve.gateway.routing.Replica;
import dev.llmserve.gateway.routing.RoutingTable;
import dev.llmserve.gateway.routing.RoutingTableSource;
import dev.llmserve.proto.ReactorInferenceGrpc;
import dev.llmserve.proto.ReactorInferenceGrpc.ReactorInferenceStub;
import io.grpc.ManagedChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Long-lived channels per replica address (one per lane of the factory): opened when the
 * address appears in the routing table (or on first use), retired when it leaves. A
 * retired channel takes no new calls but lets the ones it has finish
 * ({@code shutdown()}); only if some are still open after {@code closeTimeout} (normally
 * the calls' own deadline, so never) is it forced closed. A table that drops a replica
 * therefore never cuts a stream to it.
 */
public final class ReplicaChannelRegistry implements InitializingBean, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(ReplicaChannelRegistry.class);

	private final ReplicaChannelFactory factory;

	private final RoutingTableSource source;

	private final Duration closeTimeout;

	private final Scheduler scheduler;

	private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

	private final Map<ManagedChannel, Disposable> retiring = new ConcurrentHashMap<>();

	private Disposable updates;

	public ReplicaChannelRegistry(ReplicaChannelFactory factory, RoutingTableSource source, Duration closeTimeout) {
		this(factory, source, closeTimeout, Schedulers.parallel());
	}

	ReplicaChannelRegistry(ReplicaChannelFactory factory, RoutingTableSource source, Duration closeTimeout,
			Scheduler scheduler) {
		this.factory = factory;
		this.source = source;
		this.closeTimeout = closeTimeout;
		this.scheduler = scheduler;
	}

	@Override
	public void afterPropertiesSet() {
		this.updates = this.source.updates()
			.subscribe(this::apply, (error) -> logger.error("Routing table updates failed; channels frozen", error));
	}

	/** The Reactor stub of the replica's channel. */
	public ReactorInferenceStub stub(Replica replica) {
		return entry(replica).stubs().get(this.factory.currentLane());
	}

	/**
	 * Makes the replica's channel try to connect again now instead of after its backoff.
	 */
	public void resetConnectBackoff(Replica replica) {
		Entry entry = this.entries.get(replica.address());
		if (entry != null) {
			entry.channels().forEach(ManagedChannel::resetConnectBackoff);
		}
	}

	void apply(RoutingTable table) {
		Set<String> addresses = table.addresses();
		table.allReplicas().forEach(this::entry);
		this.entries.entrySet().removeIf((candidate) -> {
			boolean gone = !addresses.contains(candidate.getKey());
			if (gone) {
				candidate.getValue().channels().forEach((channel) -> retire(candidate.getKey(), channel));
			}
			return gone;
		});
	}

	private void retire(String address, ManagedChannel channel) {
		logger.info("Closing the channel to {} once its calls finish: no replica there any more", address);
		channel.shutdown();
		Disposable force = Mono.delay(this.closeTimeout, this.scheduler).subscribe((tick) -> {
			this.retiring.remove(channel);
			if (!channel.isTerminated()) {
				logger.warn("Calls to {} still open {} after its replica left the table; cutting them", address,
						this.closeTimeout);
				channel.shutdownNow();
			}
		});
		this.retiring.put(channel, force);
	}

	private Entry entry(Replica replica) {
		return this.entries.computeIfAbsent(replica.address(), (address) -> {
			logger.info("Opening a channel to {} ({})", address, replica.id());
			List<ManagedChannel> channels = new ArrayList<>();
			for (int lane = 0; lane < this.factory.lanes(); lane++) {
				channels.add(this.factory.create(replica.host(), replica.port(), lane));
			}
			return new Entry(channels, channels.stream().map(ReactorInferenceGrpc::newReactorStub).toList());
		});
	}

	@Override
	public void destroy() {
		if (this.updates != null) {
			this.updates.dispose();
		}
		this.entries.values().forEach((entry) -> entry.channels().forEach(ManagedChannel::shutdownNow));
		this.entries.clear();
		this.retiring.forEach((channel, force) -> {
			force.dispose();
			channel.shutdownNow();
		});
		this.retiring.clear();
	}

	private record Entry(List<ManagedChannel> channels, List<ReactorInferenceStub> stubs) {
	}

}
