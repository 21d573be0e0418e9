package dev.llmserve.gateway.upstream;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.llmserve.gateway.error.ApiException;
import dev.llmserve.gateway.metrics.GatewayMetrics;
import dev.llmserve.gateway.routing.LeastLoadedBalancer;
import dev.llmserve.gateway.routing.Replica;
import dev.llmserve.gateway.routing.ReplicaStatsRegistry;
import dev.llmserve.gateway.support.FakeReplica;
import dev.llmserve.gateway.support.FixedRoutingTable;
import dev.llmserve.proto.GenerateChunk;
import dev.llmserve.proto.GenerateRequest;
import dev.llmserve.proto.ReplicaLoad;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class InferenceClientTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final String name = UUID.randomUUID().toString();

	private final FakeReplica a = FakeReplica.inProcess(this.name + "-a");

	private final FakeReplica b = FakeReplica.inProcess(this.name + "-b");

	private final FixedRoutingTable table = FixedRoutingTable.of("m", inProcess(0, "a"), inProcess(1, "b"));

	private final ReplicaStatsRegistry stats = new ReplicaStatsRegistry(Clock.systemUTC(), Duration.ofSeconds(30));

	private final UpstreamProperties properties = new UpstreamProperties(Duration.ofSeconds(10), Duration.ofSeconds(1),
			2, 16, Duration.ofSeconds(30), Duration.ofSeconds(10));

	private final ReplicaChannelRegistry channels = new ReplicaChannelRegistry(this::channel, this.table,
			Duration.ofSeconds(10));

	private final InferenceClient client = new InferenceClient(this.table,
			new LeastLoadedBalancer(this.table, this.stats, new Random(3)), this.stats, this.channels,
			new GatewayMetrics(new SimpleMeterRegistry()), this.properties);

	@AfterEach
	void close() {
		this.channels.destroy();
		this.a.close();
		this.b.close();
	}

	@Test
	void streamsTheChunksOfOneReplicaAndPassesTheRequestOn() {
		StepVerifier.create(this.client.generate(request("m")))
			.expectNextMatches((chunk) -> chunk.getText().equals("Hello"))
			.expectNextMatches((chunk) -> chunk.getFinishReason().equals("stop"))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(allRequests()).singleElement().isEqualTo(request("m"));
		assertNothingInFlight();
	}

	@Test
	void retriesOnAnotherReplicaWhenTheFirstIsUnavailableBeforeItsFirstChunk() {
		AtomicBoolean failed = new AtomicBoolean();
		this.a.behave((request) -> failOnce(failed));
		this.b.behave((request) -> failOnce(failed));
		StepVerifier.create(this.client.generate(request("m"))).expectNextCount(2).expectComplete().verify(TIMEOUT);
		assertThat(this.a.requests()).hasSize(1);
		assertThat(this.b.requests()).hasSize(1);
		assertNothingInFlight();
	}

	@Test
	void retriesWhenAReplicaRefusesConnectionsAndSkipsItAfterwards() throws IOException {
		Replica refusing = FixedRoutingTable.ready("m", 0, "127.0.0.1", closedPort());
		this.table.set("m", List.of(refusing, inProcess(1, "b")));
		this.stats.get("m-1").recordLoad(ReplicaLoad.newBuilder().setEngineHealthy(true).setWaiting(5).build());
		StepVerifier.create(this.client.generate(request("m"))).expectNextCount(2).expectComplete().verify(TIMEOUT);
		assertThat(this.b.requests()).hasSize(1);
		StepVerifier.create(this.client.generate(request("m"))).expectNextCount(2).expectComplete().verify(TIMEOUT);
		assertThat(this.b.requests()).hasSize(2);
		assertNothingInFlight();
	}

	@Test
	void givesUpWithUnavailableOnceMaxAttemptsReplicasFailed() {
		this.a.behave((request) -> FakeReplica.failing(Status.UNAVAILABLE.withDescription("engine down")));
		this.b.behave((request) -> FakeReplica.failing(Status.UNAVAILABLE.withDescription("engine down")));
		StepVerifier.create(this.client.generate(request("m")))
			.expectErrorSatisfies((error) -> assertThat(Status.fromThrowable(error)).satisfies((status) -> {
				assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
				assertThat(status.getDescription())
					.isEqualTo("No replica of `m` could be reached (last failure: engine down)");
			}))
			.verify(TIMEOUT);
		assertThat(allRequests()).hasSize(2);
		assertNothingInFlight();
	}

	@Test
	void neverRetriesAClientError() {
		this.a.behave((request) -> FakeReplica.failing(Status.INVALID_ARGUMENT.withDescription("prompt too long")));
		this.b.behave((request) -> FakeReplica.failing(Status.INVALID_ARGUMENT.withDescription("prompt too long")));
		StepVerifier.create(this.client.generate(request("m")))
			.expectErrorSatisfies((error) -> assertThat(Status.fromThrowable(error).getCode())
				.isEqualTo(Status.Code.INVALID_ARGUMENT))
			.verify(TIMEOUT);
		assertThat(allRequests()).hasSize(1);
		assertNothingInFlight();
	}

	@Test
	void neverRetriesOnceAChunkHasArrived() {
		Flux<GenerateChunk> brokenMidway = Flux.just(FakeReplica.token("Hel"))
			.concatWith(Flux.error(Status.UNAVAILABLE.asRuntimeException()));
		this.a.behave((request) -> brokenMidway);
		this.b.behave((request) -> brokenMidway);
		StepVerifier.create(this.client.generate(request("m")))
			.expectNextCount(1)
			.expectErrorSatisfies((error) -> assertThat(Status.fromThrowable(error)).satisfies((status) -> {
				assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
				assertThat(status.getDescription())
					.matches("Replica m-[01] became unavailable mid-stream \\(UNAVAILABLE\\)");
			}))
			.verify(TIMEOUT);
		assertThat(allRequests()).hasSize(1);
		assertNothingInFlight();
	}

	@Test
	void cancellingTheStreamCancelsTheReplicaCallAndReleasesTheReplica() {
		Flux<GenerateChunk> endless = Flux.just(FakeReplica.token("Hel")).concatWith(Flux.never());
		this.a.behave((request) -> endless);
		this.b.behave((request) -> endless);
		StepVerifier.create(this.client.generate(request("m"))).expectNextCount(1).thenCancel().verify(TIMEOUT);
		await().atMost(TIMEOUT).until(() -> this.a.cancellations() + this.b.cancellations() == 1);
		assertNothingInFlight();
	}

	@Test
	void asksTheReplicaForOnlyAFewChunksAheadOfASlowConsumer() {
		AtomicInteger emitted = new AtomicInteger();
		Flux<GenerateChunk> endless = Flux.range(0, 100_000)
			.map((i) -> FakeReplica.token("t"))
			.doOnNext((chunk) -> emitted.incrementAndGet());
		this.a.behave((request) -> endless);
		this.b.behave((request) -> endless);
		StepVerifier.create(this.client.generate(request("m")), 1)
			.expectNextCount(1)
			.then(() -> await().during(Duration.ofMillis(300))
				.atMost(TIMEOUT)
				.until(() -> emitted.get() <= 4 * this.properties.prefetch()))
			.thenCancel()
			.verify(TIMEOUT);
	}

	@Test
	void timesOutAndCancelsACallThatSendsNoFirstChunk() {
		this.a.behave((request) -> Flux.never());
		this.b.behave((request) -> Flux.never());
		StepVerifier.create(this.client.generate(request("m")))
			.expectErrorSatisfies((error) -> assertThat(Status.fromThrowable(error).getCode())
				.isEqualTo(Status.Code.DEADLINE_EXCEEDED))
			.verify(TIMEOUT);
		await().atMost(TIMEOUT).until(() -> this.a.cancellations() + this.b.cancellations() == 1);
		assertNothingInFlight();
	}

	@Test
	void turnsAnEngineErrorFinishIntoAnInternalFailure() {
		GenerateChunk engineError = GenerateChunk.newBuilder().setFinishReason("error").build();
		this.a.behave((request) -> Flux.just(FakeReplica.token("Hel"), engineError));
		this.b.behave((request) -> Flux.just(FakeReplica.token("Hel"), engineError));
		StepVerifier.create(this.client.generate(request("m")))
			.expectNextCount(1)
			.expectErrorSatisfies(
					(error) -> assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.INTERNAL))
			.verify(TIMEOUT);
	}

	@Test
	void treatsAStreamEndingWithoutFinishReasonAsAnInternalFailure() {
		this.a.behave((request) -> Flux.just(FakeReplica.token("Hel")));
		this.b.behave((request) -> Flux.just(FakeReplica.token("Hel")));
		StepVerifier.create(this.client.generate(request("m")))
			.expectNextCount(1)
			.expectErrorSatisfies((error) -> assertThat(Status.fromThrowable(error).getDescription())
				.isEqualTo("The replica ended the stream without a finish reason"))
			.verify(TIMEOUT);
	}

	@Test
	void failsWithModelNotFoundForAnUnknownDeployment() {
		StepVerifier.create(this.client.generate(request("nope")))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOfSatisfying(ApiException.class,
					(api) -> assertThat(api.error().status()).isEqualTo(404)))
			.verify(TIMEOUT);
	}

	@Test
	void failsUnavailableWithoutCallingWhenNoReplicaIsHealthy() {
		this.stats.markUnreachable("m-0");
		this.stats.markUnreachable("m-1");
		StepVerifier.create(this.client.generate(request("m")))
			.expectErrorSatisfies((error) -> assertThat(Status.fromThrowable(error).getDescription())
				.isEqualTo("No healthy replica of `m` is available"))
			.verify(TIMEOUT);
		assertThat(allRequests()).isEmpty();
	}

	private Flux<GenerateChunk> failOnce(AtomicBoolean failed) {
		return failed.compareAndSet(false, true) ? FakeReplica.failing(Status.UNAVAILABLE)
				: FakeReplica.tokens("Hello", " world");
	}

	private List<GenerateRequest> allRequests() {
		List<GenerateRequest> all = new ArrayList<>(this.a.requests());
		all.addAll(this.b.requests());
		return all;
	}

	private void assertNothingInFlight() {
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(List.of(this.stats.get("m-0").inFlight(), this.stats.get("m-1").inFlight()))
				.containsOnly(0));
	}

	private ManagedChannel channel(String host, int port) {
		if (host.equals("127.0.0.1")) {
			return new NettyReplicaChannelFactory(this.properties).create(host, port);
		}
		return InProcessChannelBuilder.forName(host).directExecutor().build();
	}

	private Replica inProcess(int index, String suffix) {
		return FixedRoutingTable.ready("m", index, this.name + "-" + suffix, 1);
	}

	private static GenerateRequest request(String deployment) {
		return GenerateRequest.newBuilder().setRequestId("r-1").setDeployment(deployment).setPrompt("Hi").build();
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
