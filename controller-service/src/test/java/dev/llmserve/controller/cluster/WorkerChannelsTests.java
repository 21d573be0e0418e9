package dev.llmserve.controller.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerChannelsTests {

	private final List<ManagedChannel> opened = new ArrayList<>();

	private final WorkerChannels channels = new WorkerChannels((address) -> {
		ManagedChannel channel = InProcessChannelBuilder.forName(address).build();
		this.opened.add(channel);
		return channel;
	});

	@AfterEach
	void close() {
		this.channels.destroy();
	}

	@Test
	void keepsOneLongLivedChannelPerAddress() {
		ManagedChannel first = this.channels.channel("127.0.0.1:7001");

		assertThat(this.channels.channel("127.0.0.1:7001")).isSameAs(first);
		assertThat(this.opened).hasSize(1);
	}

	@Test
	void closesTheChannelsOfAddressesNoLiveWorkerHas() {
		ManagedChannel kept = this.channels.channel("127.0.0.1:7001");
		ManagedChannel forgotten = this.channels.channel("127.0.0.1:7002");

		this.channels.retain(Set.of("127.0.0.1:7001"));

		assertThat(forgotten.isShutdown()).isTrue();
		assertThat(kept.isShutdown()).isFalse();
		assertThat(this.channels.addresses()).containsExactly("127.0.0.1:7001");
	}

	@Test
	void closesEveryChannelWhenDestroyed() {
		ManagedChannel channel = this.channels.channel("127.0.0.1:7001");

		this.channels.destroy();

		assertThat(channel.isShutdown()).isTrue();
	}

}
