package dev.llmserve.gateway.upstream;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.llmserve.gateway.routing.Replica;
import dev.llmserve.gateway.support.FixedRoutingTable;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicaChannelRegistryTests {

	private final Map<String, ManagedChannel> opened = new ConcurrentHashMap<>();

	private final Replica first = FixedRoutingTable.ready("m", 0, "first", 1);

	private final Replica second = FixedRoutingTable.ready("m", 1, "second", 1);

	private final FixedRoutingTable table = FixedRoutingTable.of("m", this.first);

	private final ReplicaChannelRegistry registry = new ReplicaChannelRegistry(this::open, this.table);

	@AfterEach
	void close() {
		this.registry.destroy();
	}

	@Test
	void opensOneChannelPerAddressWhenItAppearsAndClosesItWhenItLeaves() {
		this.registry.afterPropertiesSet();
		assertThat(this.opened).containsOnlyKeys("first:1");
		this.table.set("m", List.of(this.first, this.second));
		assertThat(this.opened).containsOnlyKeys("first:1", "second:1");
		this.table.set("m", List.of(this.second));
		assertThat(this.opened.get("first:1").isShutdown()).isTrue();
		assertThat(this.opened.get("second:1").isShutdown()).isFalse();
	}

	@Test
	void reusesTheChannelOfAnAddressForEveryStub() {
		this.registry.afterPropertiesSet();
		this.registry.stub(this.first);
		this.registry.stub(this.first);
		assertThat(this.opened).hasSize(1);
	}

	@Test
	void closesEveryChannelOnShutdown() {
		this.registry.afterPropertiesSet();
		this.registry.destroy();
		assertThat(this.opened.values()).allMatch(ManagedChannel::isShutdown);
	}

	private ManagedChannel open(String host, int port) {
		ManagedChannel channel = InProcessChannelBuilder.forName(host).build();
		this.opened.put(host + ":" + port, channel);
		return channel;
	}

}
