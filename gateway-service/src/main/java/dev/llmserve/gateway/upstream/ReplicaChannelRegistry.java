package dev.llmserve.gateway.upstream;

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

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * One long-lived channel per replica address: opened when the address appears in the
 * routing table (or on first use), shut down when it leaves. Shutdown is graceful, so
 * calls still open on a departing replica finish within their deadline.
 */
public final class ReplicaChannelRegistry implements InitializingBean, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(ReplicaChannelRegistry.class);

	private final ReplicaChannelFactory factory;

	private final RoutingTableSource source;

	private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

	private Disposable updates;

	public ReplicaChannelRegistry(ReplicaChannelFactory factory, RoutingTableSource source) {
		this.factory = factory;
		this.source = source;
	}

	@Override
	public void afterPropertiesSet() {
		this.updates = this.source.updates()
			.subscribe(this::apply, (error) -> logger.error("Routing table updates failed; channels frozen", error));
	}

	/** The Reactor stub of the replica's channel. */
	public ReactorInferenceStub stub(Replica replica) {
		return entry(replica).stub();
	}

	/**
	 * Makes the replica's channel try to connect again now instead of after its backoff.
	 */
	public void resetConnectBackoff(Replica replica) {
		Entry entry = this.entries.get(replica.address());
		if (entry != null) {
			entry.channel().resetConnectBackoff();
		}
	}

	void apply(RoutingTable table) {
		Set<String> addresses = table.addresses();
		table.allReplicas().forEach(this::entry);
		this.entries.entrySet().removeIf((candidate) -> {
			boolean gone = !addresses.contains(candidate.getKey());
			if (gone) {
				logger.info("Closing the channel to {}: no replica there any more", candidate.getKey());
				candidate.getValue().channel().shutdown();
			}
			return gone;
		});
	}

	private Entry entry(Replica replica) {
		return this.entries.computeIfAbsent(replica.address(), (address) -> {
			logger.info("Opening a channel to {} ({})", address, replica.id());
			ManagedChannel channel = this.factory.create(replica.host(), replica.port());
			return new Entry(channel, ReactorInferenceGrpc.newReactorStub(channel));
		});
	}

	@Override
	public void destroy() {
		if (this.updates != null) {
			this.updates.dispose();
		}
		this.entries.values().forEach((entry) -> entry.channel().shutdownNow());
		this.entries.clear();
	}

	private record Entry(ManagedChannel channel, ReactorInferenceStub stub) {
	}

}
