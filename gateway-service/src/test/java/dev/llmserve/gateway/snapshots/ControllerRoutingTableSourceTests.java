package dev.llmserve.gateway.snapshots;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.llmserve.gateway.routing.Replica;
import dev.llmserve.gateway.routing.RoutingProperties;
import dev.llmserve.gateway.routing.RoutingTable;
import dev.llmserve.proto.DeploymentRoutes;
import dev.llmserve.proto.ReplicaRoute;
import dev.llmserve.proto.ReplicaState;
import dev.llmserve.proto.RoutingSnapshot;
import dev.llmserve.proto.WatchRequest;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

class ControllerRoutingTableSourceTests {

	private static final long INITIAL = 200;

	private static final long MAX = 5_000;

	private static final double JITTER = 0.5;

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final ScriptedController controller = new ScriptedController(this.time);

	private final ControllerRoutingTableSource source = new ControllerRoutingTableSource("controller:9090",
			this.controller::watch,
			new RoutingProperties.Watch(Duration.ofMillis(INITIAL), Duration.ofMillis(MAX), JITTER,
					Duration.ofMinutes(5), Duration.ofSeconds(20), "gateway-test"),
			this.time, new WatchMetrics(this.registry));

	@AfterEach
	void stop() {
		this.source.stop();
		this.time.dispose();
	}

	@Test
	void isNotReadyAndRoutesNowhereBeforeTheFirstSnapshot() {
		this.source.start();
		assertThat(this.controller.requests()).singleElement()
			.isEqualTo(WatchRequest.newBuilder().setGatewayId("gateway-test").build());
		assertThat(this.source.isReady()).isFalse();
		assertThat(this.source.current()).isEqualTo(RoutingTable.EMPTY);
		assertThat(this.registry.get("llmserve.gateway.routing.snapshot.version").gauge().value()).isNaN();
	}

	@Test
	void replacesTheTableWithEachSnapshotAndPublishesIt() {
		StepVerifier.create(this.source.updates())
			.expectNext(RoutingTable.EMPTY)
			.then(this.source::start)
			.then(() -> this.controller.send(snapshot("run-1", 1, "a", "b")))
			.assertNext((table) -> assertThat(ids(table)).containsExactly("a", "b"))
			.then(() -> this.controller.send(snapshot("run-1", 2, "b")))
			.assertNext((table) -> assertThat(ids(table)).containsExactly("b"))
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		assertThat(ids(this.source.current())).containsExactly("b");
		assertThat(this.source.current().version()).isEqualTo(2);
		assertThat(this.registry.get("llmserve.gateway.routing.snapshot.version").gauge().value()).isEqualTo(2);
	}

	@Test
	void isReadyOnceASnapshotArrivesEvenAnEmptyOne() {
		this.source.start();
		this.controller.send(RoutingSnapshot.newBuilder().setControllerId("run-1").setVersion(1).build());
		assertThat(this.source.isReady()).isTrue();
		assertThat(this.source.current().deployments()).isEmpty();
	}

	@Test
	void keepsRoutingOnTheLastSnapshotWhileDisconnected() {
		this.source.start();
		this.controller.send(snapshot("run-1", 4, "a"));
		RoutingTable last = this.source.current();
		this.controller.refuse(true);
		this.controller.fail();
		this.time.advanceTimeBy(Duration.ofMinutes(1));
		assertThat(this.controller.attempts()).hasSizeGreaterThan(5);
		assertThat(this.source.current()).isSameAs(last);
		assertThat(this.source.isReady()).isTrue();
		assertThat(this.source.isStreaming()).isFalse();
		assertThat(this.registry.get("llmserve.gateway.controller.connected").gauge().value()).isZero();
	}

	@Test
	void appliesASnapshotOfARestartedControllerEvenWithALowerVersion() {
		this.source.start();
		this.controller.send(snapshot("run-1", 70, "a"));
		this.controller.fail();
		this.time.advanceTimeBy(Duration.ofMillis(INITIAL * 2));
		this.controller.send(snapshot("run-2", 1, "b"));
		assertThat(ids(this.source.current())).containsExactly("b");
		assertThat(this.source.current().version()).isEqualTo(1);
	}

	@Test
	void ignoresOlderAndRepeatedSnapshotsOfTheSameControllerRun() {
		this.source.start();
		this.controller.send(snapshot("run-1", 5, "a"));
		this.controller.fail();
		this.time.advanceTimeBy(Duration.ofMillis(INITIAL * 2));
		this.controller.send(snapshot("run-1", 5, "stale"));
		this.controller.send(snapshot("run-1", 3, "stale"));
		assertThat(ids(this.source.current())).containsExactly("a");
		this.controller.send(snapshot("run-1", 6, "b"));
		assertThat(ids(this.source.current())).containsExactly("b");
		assertThat(this.registry.get("llmserve.gateway.routing.snapshots").tag("outcome", "applied").counter().count())
			.isEqualTo(2);
		assertThat(this.registry.get("llmserve.gateway.routing.snapshots").tag("outcome", "ignored").counter().count())
			.isEqualTo(2);
	}

	@Test
	void reconnectsWithExponentialBackoffWithinItsJitterBounds() {
		this.controller.refuse(true);
		this.source.start();
		this.time.advanceTimeBy(Duration.ofMinutes(2));
		List<Long> gaps = this.controller.gaps();
		// 200 + 400 + ... + 3200 ms, then about 5 s each: at least 2 minutes / 5 s more.
		assertThat(gaps).hasSizeGreaterThan(25);
		for (int attempt = 0; attempt < gaps.size(); attempt++) {
			long nominal = (attempt < 10) ? Math.min(MAX, INITIAL << attempt) : MAX;
			long low = Math.max(INITIAL, (long) (nominal * (1 - JITTER)));
			long high = Math.min(MAX, (long) (nominal * (1 + JITTER)));
			assertThat(gaps.get(attempt)).as("delay before attempt %d", attempt + 2).isBetween(low, high);
		}
		assertThat(new HashSet<>(gaps.subList(10, gaps.size()))).as("jittered, not in step").hasSizeGreaterThan(1);
	}

	@Test
	void startsTheBackoffOverOnceASnapshotArrives() {
		this.controller.refuse(true);
		this.source.start();
		this.time.advanceTimeBy(Duration.ofSeconds(20));
		this.controller.refuse(false);
		this.time.advanceTimeBy(Duration.ofMillis(MAX));
		this.controller.send(snapshot("run-1", 1, "a"));
		int attempts = this.controller.attempts().size();
		this.controller.fail();
		this.time.advanceTimeBy(Duration.ofMillis(INITIAL - 1));
		assertThat(this.controller.attempts()).hasSize(attempts);
		this.time.advanceTimeBy(Duration.ofMillis((long) (INITIAL * JITTER) + 1));
		assertThat(this.controller.attempts()).hasSize(attempts + 1);
	}

	@Test
	void reconnectsWhenTheControllerEndsTheStream() {
		this.source.start();
		this.controller.send(snapshot("run-1", 1, "a"));
		this.controller.end();
		assertThat(this.source.isStreaming()).isFalse();
		this.time.advanceTimeBy(Duration.ofMillis(INITIAL * 2));
		assertThat(this.controller.attempts()).hasSize(2);
		this.controller.send(snapshot("run-1", 2, "b"));
		assertThat(this.source.isStreaming()).isTrue();
		assertThat(ids(this.source.current())).containsExactly("b");
	}

	@Test
	void countsALostConnectionOnceNotOncePerRetry() {
		this.source.start();
		this.controller.send(snapshot("run-1", 1, "a"));
		assertThat(this.registry.get("llmserve.gateway.controller.connected").gauge().value()).isEqualTo(1);
		this.controller.refuse(true);
		this.controller.fail();
		this.time.advanceTimeBy(Duration.ofSeconds(30));
		assertThat(this.controller.attempts()).hasSizeGreaterThan(5);
		assertThat(this.registry.get("llmserve.gateway.controller.disconnects").counter().count()).isEqualTo(1);
		this.controller.refuse(false);
		this.time.advanceTimeBy(Duration.ofMillis(MAX));
		this.controller.send(snapshot("run-1", 1, "a"));
		assertThat(this.registry.get("llmserve.gateway.controller.connected").gauge().value()).isEqualTo(1);
	}

	@Test
	void stopCancelsTheStreamAndReconnectsNoMore() {
		this.source.start();
		this.controller.send(snapshot("run-1", 1, "a"));
		assertThat(this.controller.open()).isTrue();
		this.source.stop();
		assertThat(this.controller.open()).isFalse();
		this.time.advanceTimeBy(Duration.ofMinutes(1));
		assertThat(this.controller.attempts()).hasSize(1);
		assertThat(this.source.isRunning()).isFalse();
		assertThat(ids(this.source.current())).containsExactly("a");
	}

	private static RoutingSnapshot snapshot(String controllerId, long version, String... replicaIds) {
		DeploymentRoutes.Builder deployment = DeploymentRoutes.newBuilder().setName("m");
		for (int i = 0; i < replicaIds.length; i++) {
			deployment.addReplicas(ReplicaRoute.newBuilder()
				.setId(replicaIds[i])
				.setAddress("10.0.0." + (i + 1) + ":9101")
				.setState(ReplicaState.REPLICA_READY));
		}
		return RoutingSnapshot.newBuilder()
			.setControllerId(controllerId)
			.setVersion(version)
			.addDeployments(deployment)
			.build();
	}

	private static List<String> ids(RoutingTable table) {
		return table.replicas("m").stream().map(Replica::id).toList();
	}

	/**
	 * {@code Watch} as a test scripts it: each call opens a stream the test feeds, fails
	 * or ends, or is refused at once; calls are recorded in virtual time.
	 */
	private static final class ScriptedController {

		private final VirtualTimeScheduler time;

		private final List<WatchRequest> requests = new CopyOnWriteArrayList<>();

		private final List<Long> attempts = new CopyOnWriteArrayList<>();

		private volatile boolean refusing;

		private volatile Sinks.Many<RoutingSnapshot> stream;

		ScriptedController(VirtualTimeScheduler time) {
			this.time = time;
		}

		Flux<RoutingSnapshot> watch(WatchRequest request) {
			return Flux.defer(() -> {
				this.requests.add(request);
				this.attempts.add(this.time.now(TimeUnit.MILLISECONDS));
				if (this.refusing) {
					return Flux.error(Status.UNAVAILABLE.withDescription("connection refused").asRuntimeException());
				}
				this.stream = Sinks.many().unicast().onBackpressureBuffer();
				return this.stream.asFlux();
			});
		}

		void refuse(boolean refusing) {
			this.refusing = refusing;
		}

		void send(RoutingSnapshot snapshot) {
			this.stream.emitNext(snapshot, Sinks.EmitFailureHandler.FAIL_FAST);
		}

		void fail() {
			this.stream.emitError(Status.UNAVAILABLE.withDescription("io exception").asRuntimeException(),
					Sinks.EmitFailureHandler.FAIL_FAST);
		}

		void end() {
			this.stream.emitComplete(Sinks.EmitFailureHandler.FAIL_FAST);
		}

		boolean open() {
			return this.stream.currentSubscriberCount() > 0;
		}

		List<WatchRequest> requests() {
			return List.copyOf(this.requests);
		}

		List<Long> attempts() {
			return List.copyOf(this.attempts);
		}

		List<Long> gaps() {
			List<Long> gaps = new ArrayList<>();
			for (int i = 1; i < this.attempts.size(); i++) {
				gaps.add(this.attempts.get(i) - this.attempts.get(i - 1));
			}
			return gaps;
		}

	}

}
