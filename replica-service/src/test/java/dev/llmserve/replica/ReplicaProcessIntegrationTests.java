package dev.llmserve.replica;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.llmserve.process.FreePorts;
import dev.llmserve.process.ManagedProcess;
import dev.llmserve.process.ProcessSpec;
import dev.llmserve.proto.GenerateChunk;
import dev.llmserve.proto.GenerateRequest;
import dev.llmserve.proto.ReactorInferenceGrpc;
import dev.llmserve.proto.SamplingParams;
import dev.llmserve.replica.engine.ReplicaTerminator;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replica as a process of its own (this test's classpath, its real main), for what
 * ends the JVM: losing the engine, an engine that never becomes healthy, SIGTERM.
 */
class ReplicaProcessIntegrationTests {

	private static final Duration STARTUP = Duration.ofSeconds(45);

	private final List<ManagedProcess> replicas = new ArrayList<>();

	private final List<ManagedChannel> channels = new ArrayList<>();

	@AfterEach
	void stopEverything() {
		this.channels.forEach(ManagedChannel::shutdownNow);
		this.replicas.forEach((replica) -> replica.stop(Duration.ofSeconds(5)));
	}

	@Test
	void losingTheEngineEndsInFlightStreamsUnavailableAndExitsTheReplica() throws Exception {
		int grpcPort = FreePorts.find();
		ManagedProcess replica = startReplica(grpcPort, "--llmserve.replica.engine.args=--fixed-itl-ms,50");
		ManagedChannel channel = awaitServing(grpcPort);
		ProcessHandle engine = engineOf(replica).orElseThrow();
		List<String> chunks = new CopyOnWriteArrayList<>();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		ReactorInferenceGrpc.newReactorStub(channel)
			.generate(longGeneration())
			.subscribe((chunk) -> chunks.add(chunk.getText()), failure::set);
		await().atMost(Duration.ofSeconds(10)).until(() -> chunks.size() >= 2);

		engine.destroyForcibly();

		await().atMost(Duration.ofSeconds(5)).until(() -> failure.get() != null);
		Status status = Status.fromThrowable(failure.get());
		assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(status.getDescription()).isEqualTo("engine exited with code 137");
		assertThat(replica.onExit().get(20, TimeUnit.SECONDS)).isEqualTo(ReplicaTerminator.ENGINE_EXITED);
	}

	@Test
	void anEngineThatNeverBecomesHealthyExitsTheReplicaWithItsLastOutput() throws Exception {
		List<String> output = new CopyOnWriteArrayList<>();
		ManagedProcess replica = startReplica(FreePorts.find(), "--llmserve.replica.engine.startup-timeout=8s",
				"--llmserve.replica.engine.args=--fault-unhealthy-seconds,600");
		replica.onOutput(output::add);

		assertThat(replica.onExit().get(40, TimeUnit.SECONDS)).isEqualTo(ReplicaTerminator.ENGINE_START_FAILED);
		assertThat(output)
			.anySatisfy((line) -> assertThat(line).contains("Engine did not answer").contains("/health within PT8S"));
		assertThat(output).anySatisfy((line) -> assertThat(line).contains("Application startup complete"));
		assertThat(descendantsOf(replica)).isEmpty();
	}

	@Test
	void sigtermStopsTheEnginesWholeProcessTree() throws Exception {
		int grpcPort = FreePorts.find();
		ManagedProcess replica = startReplica(grpcPort);
		awaitServing(grpcPort);
		ProcessHandle engine = engineOf(replica).orElseThrow();

		ProcessHandle.of(replica.pid()).orElseThrow().destroy();

		assertThat(replica.onExit().get(20, TimeUnit.SECONDS)).isNotEqualTo(ReplicaTerminator.ENGINE_EXITED);
		await().atMost(Duration.ofSeconds(5)).until(() -> !engine.isAlive());
	}

	@Test
	void sigtermFinishesInFlightStreamsWhileRefusingNewCallsThenStopsTheEngine() throws Exception {
		int grpcPort = FreePorts.find();
		ManagedProcess replica = startReplica(grpcPort, "--llmserve.replica.engine.args=--fixed-itl-ms,20",
				"--spring.grpc.server.shutdown-grace-period=20s");
		ManagedChannel channel = awaitServing(grpcPort);
		ProcessHandle engine = engineOf(replica).orElseThrow();
		List<GenerateChunk> chunks = new CopyOnWriteArrayList<>();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		AtomicBoolean completed = new AtomicBoolean();
		ReactorInferenceGrpc.newReactorStub(channel)
			.generate(generation("in-flight", 150))
			.subscribe(chunks::add, failure::set, () -> completed.set(true));
		await().atMost(Duration.ofSeconds(10)).until(() -> chunks.size() >= 2);

		ProcessHandle.of(replica.pid()).orElseThrow().destroy();

		// A call after SIGTERM, on the same connection, is refused.
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			Throwable refused = ReactorInferenceGrpc.newReactorStub(channel)
				.generate(generation("late", 5))
				.then()
				.map((ignored) -> (Throwable) null)
				.onErrorResume(Mono::just)
				.block(Duration.ofSeconds(5));
			assertThat(refused).isNotNull();
			assertThat(Status.fromThrowable(refused).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
		});
		await().atMost(Duration.ofSeconds(20)).until(() -> completed.get() || failure.get() != null);
		assertThat(failure.get()).as("the in-flight stream's failure").isNull();
		assertThat(chunks.get(chunks.size() - 1).getFinishReason()).isEqualTo("length");
		assertThat(chunks.get(chunks.size() - 1).getUsage().getCompletionTokens()).isEqualTo(150);
		assertThat(replica.onExit().get(20, TimeUnit.SECONDS)).isNotEqualTo(ReplicaTerminator.ENGINE_EXITED);
		await().atMost(Duration.ofSeconds(5)).until(() -> !engine.isAlive());
	}

	private ManagedProcess startReplica(int grpcPort, String... arguments) throws Exception {
		List<String> command = new ArrayList<>(
				List.of(javaBinary(), "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
						ReplicaApplication.class.getName(), "--spring.grpc.server.port=" + grpcPort, "--server.port=0",
						"--llmserve.replica.deployment=tiny", "--llmserve.replica.engine.profile=instant"));
		command.addAll(List.of(arguments));
		ManagedProcess replica = ManagedProcess.start(ProcessSpec.of("replica", command));
		this.replicas.add(replica);
		return replica;
	}

	private ManagedChannel awaitServing(int grpcPort) {
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
		this.channels.add(channel);
		HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
		await().atMost(STARTUP)
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptions()
			.until(() -> health.withDeadlineAfter(1, TimeUnit.SECONDS)
				.check(HealthCheckRequest.getDefaultInstance())
				.getStatus() == ServingStatus.SERVING);
		return channel;
	}

	private static Optional<ProcessHandle> engineOf(ManagedProcess replica) {
		return descendantsOf(replica).stream()
			.filter((process) -> process.info().commandLine().orElse("").contains("llmserve_sim.py"))
			.findFirst();
	}

	private static List<ProcessHandle> descendantsOf(ManagedProcess replica) {
		return ProcessHandle.of(replica.pid()).map((handle) -> handle.descendants().toList()).orElse(List.of());
	}

	private static GenerateRequest generation(String id, int tokens) {
		return GenerateRequest.newBuilder()
			.setRequestId(id)
			.setPrompt("Keep talking")
			.setSampling(SamplingParams.newBuilder().setMaxTokens(tokens).setIgnoreEos(true))
			.build();
	}

	private static GenerateRequest longGeneration() {
		return GenerateRequest.newBuilder()
			.setRequestId("doomed")
			.setPrompt("Keep talking")
			.setSampling(SamplingParams.newBuilder().setMaxTokens(1000).setIgnoreEos(true))
			.build();
	}

	private static String javaBinary() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

}
