package dev.llmserve.gateway.upstream;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.llmserve.gateway.error.ApiException;
import dev.llmserve.gateway.metrics.GatewayMetrics;
import dev.llmserve.gateway.tracing.RequestTraces;
import dev.llmserve.gateway.routing.LeastLoadedBalancer;
import dev.llmserve.gateway.routing.OutlierEjector;
import dev.llmserve.gateway.routing.Replica;
import dev.llmserve.gateway.routing.ReplicaStatsRegistry;
import dev.llmserve.gateway.routing.RoutingProperties;
import dev.llmserve.gateway.support.FakeReplica;
import dev.llmserve.gateway.support.FixedRoutingTable;
import dev.llmserve.proto.ChatMessage;
import dev.llmserve.proto.ChatMessages;
import dev.llmserve.proto.GenerateChunk;
import dev.llmserve.proto.GenerateRequest;
import dev.llmserve.proto.ReplicaLoad;
import dev.llmserve.proto.SamplingParams;
import dev.llmserve.proto.Usage;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

class InferenceClientTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final String name = UUID.randomUUID().toString();

	private final FakeReplica a = FakeReplica.inProcess(this.name + "-a");

	private final FakeReplica b = FakeReplica.inProcess(this.name + "-b");

	private final FixedRoutingTable table = FixedRoutingTable.of("m", inProcess(0, "a"), inProcess(1, "b"));

	private final ReplicaStatsRegistry stats = new ReplicaStatsRegistry(Clock.systemUTC());

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final OutlierEjector ejector = new OutlierEjector(this.table, this.stats,
			new RoutingProperties.Ejection(true, Duration.ofSeconds(30), Duration.ofMinutes(2), 5, 50), this.meters);

	private final UpstreamProperties properties = properties(UpstreamProperties.Failover.DEFAULTS);

	private final ReplicaChannelRegistry channels = new ReplicaChannelRegistry(this::channel, this.table,
			Duration.ofSeconds(10));

	private final InferenceClient client = client(this.properties);

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
	void endsWithAnErrorWhenTheReplicaFailsMidStreamAndFailoverIsOffForTheDeployment() {
		Flux<GenerateChunk> brokenMidway = Flux.just(FakeReplica.token("Hel"))
			.concatWith(Flux.error(Status.UNAVAILABLE.asRuntimeException()));
		this.a.behave((request) -> brokenMidway);
		this.b.behave((request) -> brokenMidway);
		InferenceClient noFailover = client(properties(new UpstreamProperties.Failover(true, 2, Map.of("m", false))));
		StepVerifier.create(noFailover.generate(request("m")))
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
	void timesOutCancelsAndRetriesACallThatSendsNoFirstChunkThenGivesUp() {
		this.a.behave((request) -> Flux.never());
		this.b.behave((request) -> Flux.never());
		StepVerifier.create(this.client.generate(request("m")))
			.expectErrorSatisfies((error) -> assertThat(Status.fromThrowable(error)).satisfies((status) -> {
				assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
				assertThat(status.getDescription()).matches("Replica m-[01] sent no token within 1s");
			}))
			.verify(TIMEOUT);
		await().atMost(TIMEOUT).until(() -> this.a.cancellations() == 1 && this.b.cancellations() == 1);
		assertNothingInFlight();
	}

	@Test
	void retriesOnAnotherReplicaWhenTheFirstSendsNoFirstChunkInTimeAndEjectsIt() {
		AtomicInteger calls = new AtomicInteger();
		Function<GenerateRequest, Flux<GenerateChunk>> hangsFirst = (request) -> (calls.getAndIncrement() == 0)
				? Flux.never() : FakeReplica.tokens("Hello", " world");
		this.a.behave(hangsFirst);
		this.b.behave(hangsFirst);
		StepVerifier.create(this.client.generate(request("m")))
			.expectNextMatches((chunk) -> chunk.getText().equals("Hello"))
			.expectNextCount(1)
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(List.of(this.stats.get("m-0").isEjected(), this.stats.get("m-1").isEjected()))
			.as("the hung replica only")
			.containsExactlyInAnyOrder(true, false);
		assertThat(this.meters.counter("llmserve.gateway.retries", "deployment", "m").count()).isEqualTo(1);
		assertThat(ejections("first_token_timeout")).isEqualTo(1);
		assertThat(this.meters.get("llmserve.gateway.routed").tag("deployment", "m").counters())
			.as("one call to each replica")
			.hasSize(2)
			.allSatisfy((counter) -> assertThat(counter.count()).isEqualTo(1));
		assertNothingInFlight();
	}

	@Test
	void continuesACompletionOnAnotherReplicaWithThePromptPlusTheTextSentAndTheRestOfTheBudget() {
		behaveBoth(failsAfter("Hel", "lo"), continues(" world", 7));
		GenerateRequest request = request("m").toBuilder()
			.setSampling(SamplingParams.newBuilder().setMaxTokens(10).setIgnoreEos(true))
			.build();
		List<GenerateChunk> chunks = this.client.generate(request).collectList().block(TIMEOUT);

		assertThat(chunks).extracting(GenerateChunk::getText).containsExactly("Hel", "lo", " world");
		GenerateChunk last = chunks.get(chunks.size() - 1);
		assertThat(last.getFinishReason()).isEqualTo("length");
		assertThat(last.getUsage().getPromptTokens()).as("the original prompt's").isEqualTo(5);
		assertThat(last.getUsage().getCompletionTokens()).as("every token sent").isEqualTo(3);
		GenerateRequest continuation = allRequests().get(1);
		assertThat(continuation.getPrompt()).isEqualTo("HiHello");
		assertThat(continuation.getSampling().getMaxTokens()).isEqualTo(8);
		assertThat(continuation.getSampling().getIgnoreEos()).isTrue();
		assertThat(continuation.getRequestId()).isEqualTo("r-1");
		assertThat(this.a.requests()).hasSize(1);
		assertThat(this.b.requests()).hasSize(1);
		assertThat(this.meters.counter("llmserve.gateway.failovers", "deployment", "m", "phase", "mid_stream").count())
			.isEqualTo(1);
		assertNothingInFlight();
	}

	@Test
	void continuesAChatAsAPartialAssistantMessageTheEngineCompletes() {
		behaveBoth(failsAfter("Hel", "lo"), continues(" world", 20));
		GenerateRequest chat = GenerateRequest.newBuilder()
			.setRequestId("r-2")
			.setDeployment("m")
			.setChat(ChatMessages.newBuilder()
				.addMessages(ChatMessage.newBuilder().setRole("user").setContent("Say hello")))
			.build();
		List<GenerateChunk> chunks = this.client.generate(chat).collectList().block(TIMEOUT);

		assertThat(chunks).extracting(GenerateChunk::getText).containsExactly("Hel", "lo", " world");
		GenerateRequest continuation = allRequests().get(1);
		assertThat(continuation.getChat().getContinueFinalMessage()).isTrue();
		assertThat(continuation.getChat().getMessagesList()).extracting(ChatMessage::getRole, ChatMessage::getContent)
			.containsExactly(tuple("user", "Say hello"), tuple("assistant", "Hello"));
		assertThat(continuation.getSampling().hasMaxTokens()).as("the engine's default: the rest of the context")
			.isFalse();
	}

	@Test
	void failsOverOnAnEngineErrorMidStreamToo() {
		AtomicInteger calls = new AtomicInteger();
		GenerateChunk engineError = GenerateChunk.newBuilder().setFinishReason("error").build();
		behaveBoth((request) -> (calls.getAndIncrement() == 0) ? Flux.just(FakeReplica.token("Hel"), engineError)
				: continues("lo", 3).apply(request));
		StepVerifier.create(this.client.generate(request("m")).map(GenerateChunk::getText))
			.expectNext("Hel", "lo")
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void continuesElsewhereWhenAReplicaStopsSendingTokensMidStreamAndEjectsIt() {
		AtomicInteger calls = new AtomicInteger();
		AtomicInteger stallCancelled = new AtomicInteger();
		behaveBoth((request) -> (calls.getAndIncrement() == 0)
				? Flux.just(FakeReplica.token("Hel"))
					.concatWith(Flux.<GenerateChunk>never().doOnCancel(stallCancelled::incrementAndGet))
				: continues("lo", 3).apply(request));
		StepVerifier.create(this.client.generate(request("m")).map(GenerateChunk::getText))
			.expectNext("Hel", "lo")
			.expectComplete()
			.verify(TIMEOUT);
		await().atMost(TIMEOUT).until(() -> stallCancelled.get() == 1);
		assertThat(List.of(this.stats.get("m-0").isEjected(), this.stats.get("m-1").isEjected()))
			.as("the stalled replica only")
			.containsExactlyInAnyOrder(true, false);
		assertThat(ejections("stalled")).isEqualTo(1);
		assertNothingInFlight();
	}

	@Test
	void waitsForASlowConsumerWithoutTakingItForAStall() {
		String[] texts = new String[100];
		Arrays.fill(texts, "t");
		behaveBoth((request) -> FakeReplica.tokens(texts));
		StepVerifier.create(this.client.generate(request("m")), 1)
			.expectNextCount(1)
			// Longer than the stall timeout (500 ms), with nothing asked for.
			.thenAwait(Duration.ofMillis(1200))
			.thenRequest(Long.MAX_VALUE)
			.expectNextCount(99)
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(allRequests()).hasSize(1);
		assertNothingInFlight();
	}

	@Test
	void neverFailsOverOnAClientErrorMidStream() {
		behaveBoth((request) -> Flux.just(FakeReplica.token("Hel"))
			.concatWith(Flux.error(Status.INVALID_ARGUMENT.withDescription("bad stop").asRuntimeException())));
		StepVerifier.create(this.client.generate(request("m")))
			.expectNextCount(1)
			.expectErrorSatisfies((error) -> assertThat(Status.fromThrowable(error).getCode())
				.isEqualTo(Status.Code.INVALID_ARGUMENT))
			.verify(TIMEOUT);
		assertThat(allRequests()).hasSize(1);
		assertNothingInFlight();
	}

	@Test
	void endsAtLengthWithoutAnotherCallWhenTheWholeBudgetWasSent() {
		behaveBoth(failsAfter("a", "b"), continues("never", 1));
		GenerateRequest request = request("m").toBuilder()
			.setSampling(SamplingParams.newBuilder().setMaxTokens(2))
			.build();
		List<GenerateChunk> chunks = this.client.generate(request).collectList().block(TIMEOUT);

		assertThat(chunks).extracting(GenerateChunk::getText).containsExactly("a", "b", "");
		assertThat(chunks.get(2).getFinishReason()).isEqualTo("length");
		assertThat(allRequests()).hasSize(1);
	}

	@Test
	void endsWithTheFailureWhenNoReplicaIsLeftToContinue() {
		behaveBoth((request) -> Flux.just(FakeReplica.token("Hel"))
			.concatWith(Flux.error(Status.UNAVAILABLE.withDescription("gone").asRuntimeException())));
		StepVerifier.create(this.client.generate(request("m")))
			.expectNextCount(2)
			.expectErrorSatisfies((error) -> assertThat(Status.fromThrowable(error).getDescription())
				.matches("Replica m-[01] became unavailable mid-stream \\(gone\\)"))
			.verify(TIMEOUT);
		assertThat(this.a.requests()).hasSize(1);
		assertThat(this.b.requests()).hasSize(1);
		assertThat(this.b.requests().get(0).getPrompt() + this.a.requests().get(0).getPrompt()).contains("HiHel");
		assertNothingInFlight();
	}

	@Test
	void cancellingDuringAContinuationCancelsTheCallAndReleasesEverything() {
		AtomicInteger calls = new AtomicInteger();
		AtomicInteger cancelled = new AtomicInteger();
		behaveBoth((request) -> (calls.getAndIncrement() == 0)
				? Flux.just(FakeReplica.token("Hel")).concatWith(Flux.error(Status.UNAVAILABLE.asRuntimeException()))
				: Flux.just(FakeReplica.token("lo"))
					.concatWith(Flux.<GenerateChunk>never().doOnCancel(cancelled::incrementAndGet)));
		StepVerifier.create(this.client.generate(request("m"))).expectNextCount(2).thenCancel().verify(TIMEOUT);
		await().atMost(TIMEOUT).until(() -> cancelled.get() == 1);
		assertNothingInFlight();
	}

	@Test
	void turnsAnEngineErrorFinishIntoAnInternalFailureOnceNoReplicaCanContinue() {
		GenerateChunk engineError = GenerateChunk.newBuilder().setFinishReason("error").build();
		this.a.behave((request) -> Flux.just(FakeReplica.token("Hel"), engineError));
		this.b.behave((request) -> Flux.just(FakeReplica.token("Hel"), engineError));
		StepVerifier.create(this.client.generate(request("m")))
			.expectNextCount(2)
			.expectErrorSatisfies(
					(error) -> assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.INTERNAL))
			.verify(TIMEOUT);
	}

	@Test
	void treatsAStreamEndingWithoutFinishReasonAsAnInternalFailureOnceNoReplicaCanContinue() {
		this.a.behave((request) -> Flux.just(FakeReplica.token("Hel")));
		this.b.behave((request) -> Flux.just(FakeReplica.token("Hel")));
		StepVerifier.create(this.client.generate(request("m")))
			.expectNextCount(2)
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
		ReplicaLoad unhealthy = ReplicaLoad.newBuilder().setEngineHealthy(false).build();
		this.stats.get("m-0").recordLoad(unhealthy);
		this.stats.get("m-1").recordLoad(unhealthy);
		StepVerifier.create(this.client.generate(request("m")))
			.expectErrorSatisfies((error) -> assertThat(Status.fromThrowable(error).getDescription())
				.isEqualTo("No healthy replica of `m` is available"))
			.verify(TIMEOUT);
		assertThat(allRequests()).isEmpty();
	}

	private InferenceClient client(UpstreamProperties upstream) {
		return new InferenceClient(this.table, new LeastLoadedBalancer(this.table, this.stats, new Random(3)),
				this.ejector, this.channels, new GatewayMetrics(this.meters, (deployment) -> true), this.meters,
				upstream, RequestTraces.DISABLED);
	}

	private static UpstreamProperties properties(UpstreamProperties.Failover failover) {
		return new UpstreamProperties(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMillis(500), 2, 16,
				Duration.ofSeconds(30), Duration.ofSeconds(10), failover);
	}

	/** The first call to either replica fails after the texts; later ones continue. */
	private void behaveBoth(Function<GenerateRequest, Flux<GenerateChunk>> first,
			Function<GenerateRequest, Flux<GenerateChunk>> later) {
		AtomicInteger calls = new AtomicInteger();
		behaveBoth((request) -> (calls.getAndIncrement() == 0) ? first.apply(request) : later.apply(request));
	}

	private void behaveBoth(Function<GenerateRequest, Flux<GenerateChunk>> behaviour) {
		this.a.behave(behaviour);
		this.b.behave(behaviour);
	}

	private static Function<GenerateRequest, Flux<GenerateChunk>> failsAfter(String... texts) {
		return (request) -> Flux.fromArray(texts)
			.map(FakeReplica::token)
			.concatWith(Flux.error(Status.UNAVAILABLE.withDescription("connection lost").asRuntimeException()));
	}

	/** Finishes at length with the text as one token, the prompt counted as given. */
	private static Function<GenerateRequest, Flux<GenerateChunk>> continues(String text, int promptTokens) {
		return (request) -> Flux.just(GenerateChunk.newBuilder()
			.setText(text)
			.setTokenCount(1)
			.setFinishReason("length")
			.setUsage(Usage.newBuilder().setPromptTokens(promptTokens).setCompletionTokens(1))
			.build());
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

	private double ejections(String reason) {
		return this.meters.get("llmserve.gateway.replica.ejections")
			.tag("deployment", "m")
			.tag("reason", reason)
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

}
