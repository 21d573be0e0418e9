package dev.llmserve.gateway.upstream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.llmserve.gateway.routing.Replica;
import dev.llmserve.gateway.support.FakeReplica;
import dev.llmserve.gateway.support.FixedRoutingTable;
import dev.llmserve.proto.GenerateChunk;
import dev.llmserve.proto.GenerateRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ReplicaChannelRegistryTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final Duration CLOSE_TIMEOUT = Duration.ofMinutes(10);

	private final Map<String, ManagedChannel> opened = new ConcurrentHashMap<>();

	private final Replica first = FixedRoutingTable.ready("m", 0, "first", 1);

	private final Replica second = FixedRoutingTable.ready("m", 1, "second", 1);

	private final FixedRoutingTable table = FixedRoutingTable.of("m", this.first);

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final ReplicaChannelRegistry registry = new ReplicaChannelRegistry(this::open, this.table, CLOSE_TIMEOUT,
			this.time);

	@AfterEach
	void close() {
		this.registry.destroy();
		this.time.dispose();
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
		this.table.set("m", List.of(this.second));
		this.registry.destroy();
		assertThat(this.opened.values()).allMatch(ManagedChannel::isShutdown);
		assertThat(this.opened.get("first:1").isTerminated()).isTrue();
	}

	@Test
	void letsAStreamToAReplicaThatLeftTheTableFinish() {
		Sinks.Empty<Void> gate = Sinks.empty();
		String name = UUID.randomUUID().toString();
		try (FakeReplica replica = FakeReplica.inProcess(name)) {
			replica.behave((request) -> Flux.just(FakeReplica.token("Hel"))
				.concatWith(gate.asMono().thenMany(FakeReplica.tokens("lo"))));
			Call call = startCall(name);
			this.table.set("m", List.of());
			ManagedChannel channel = this.opened.values().iterator().next();
			assertThat(channel.isShutdown()).isTrue();
			gate.tryEmitEmpty();
			await().atMost(TIMEOUT).untilTrue(call.completed);
			assertThat(call.chunks).extracting(GenerateChunk::getText).containsExactly("Hel", "lo");
			await().atMost(TIMEOUT).until(channel::isTerminated);
		}
	}

	@Test
	void cutsAStreamToAReplicaThatLeftTheTableOnlyAfterTheCloseTimeout() {
		String name = UUID.randomUUID().toString();
		try (FakeReplica replica = FakeReplica.inProcess(name)) {
			replica.behave((request) -> Flux.just(FakeReplica.token("Hel")).concatWith(Flux.never()));
			Call call = startCall(name);
			this.table.set("m", List.of());
			ManagedChannel channel = this.opened.values().iterator().next();
			this.time.advanceTimeBy(CLOSE_TIMEOUT.minusSeconds(1));
			assertThat(channel.isTerminated()).isFalse();
			assertThat(call.failure.get()).isNull();
			this.time.advanceTimeBy(Duration.ofSeconds(1));
			await().atMost(TIMEOUT).until(() -> call.failure.get() != null);
			assertThat(Status.fromThrowable(call.failure.get()).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
			await().atMost(TIMEOUT).until(channel::isTerminated);
		}
	}

	private Call startCall(String name) {
		Replica target = FixedRoutingTable.ready("m", 0, name, 1);
		this.table.set("m", List.of(target));
		this.registry.afterPropertiesSet();
		Call call = new Call();
		this.registry.stub(target)
			.generate(GenerateRequest.newBuilder().setDeployment("m").build())
			.subscribe(call.chunks::add, call.failure::set, () -> call.completed.set(true));
		await().atMost(TIMEOUT).until(() -> call.chunks.size() == 1);
		return call;
	}

	private ManagedChannel open(String host, int port) {
		ManagedChannel channel = InProcessChannelBuilder.forName(host).build();
		this.opened.put(host + ":" + port, channel);
		return channel;
	}

	private static final class Call {

		final List<GenerateChunk> chunks = new CopyOnWriteArrayList<>();

		final AtomicReference<Throwable> failure = new AtomicReference<>();

		final AtomicBoolean completed = new AtomicBoolean();

	}

}
