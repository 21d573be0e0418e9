package dev.llmserve.controller.routing;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.llmserve.controller.cluster.Load;
import dev.llmserve.controller.cluster.Replica;
import dev.llmserve.controller.cluster.Replicas;
import dev.llmserve.controller.cluster.Worker;
import dev.llmserve.proto.ReplicaRoute;
import dev.llmserve.proto.RoutingSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static dev.llmserve.controller.cluster.Replicas.ready;
import static dev.llmserve.controller.deployments.Deployments.sim;
import static org.assertj.core.api.Assertions.assertThat;

class SnapshotPublisherTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	private final AtomicReference<SnapshotContent> content = new AtomicReference<>(content());

	private final Sinks.Many<Object> changes = Sinks.many().multicast().directBestEffort();

	private final Sinks.Empty<Void> synced = Sinks.empty();

	private final SnapshotPublisher publisher = new SnapshotPublisher(this.content::get, "c-1", this.scheduler,
			new RoutingProperties(Duration.ofMillis(100), Duration.ofSeconds(1)));

	{
		this.publisher.start(this.changes.asFlux(), this.synced.asMono());
	}

	@AfterEach
	void dispose() {
		this.scheduler.dispose();
	}

	@Test
	void publishesNothingBeforeTheClusterIsSynced() {
		StepVerifier.create(this.publisher.snapshots())
			.then(() -> change(content(ready("a-1", "a", "w1"))))
			.then(() -> this.scheduler.advanceTimeBy(Duration.ofSeconds(10)))
			.expectNoEvent(Duration.ofMillis(50))
			.then(this::sync)
			.assertNext((snapshot) -> {
				assertThat(snapshot.getVersion()).isEqualTo(1);
				assertThat(snapshot.getControllerId()).isEqualTo("c-1");
				assertThat(routes(snapshot)).containsExactly("a-1");
			})
			.thenCancel()
			.verify(TIMEOUT);
	}

	@Test
	void publishesAnEmptyClusterOnceSynced() {
		StepVerifier.create(this.publisher.snapshots())
			.then(this::sync)
			.assertNext((snapshot) -> assertThat(routes(snapshot)).isEmpty())
			.thenCancel()
			.verify(TIMEOUT);
	}

	@Test
	void coalescesABurstOfChangesIntoOneSnapshotWithTheNextVersion() {
		sync();
		StepVerifier.create(this.publisher.snapshots())
			.expectNextMatches((snapshot) -> snapshot.getVersion() == 1)
			.then(() -> {
				this.content.set(content(ready("a-1", "a", "w1")));
				this.changes.tryEmitNext("x");
				this.scheduler.advanceTimeBy(Duration.ofMillis(50));
				this.content.set(content(ready("a-1", "a", "w1"), ready("a-2", "a", "w1")));
				this.changes.tryEmitNext("x");
				this.scheduler.advanceTimeBy(Duration.ofMillis(49));
			})
			.expectNoEvent(Duration.ofMillis(50))
			.then(() -> this.scheduler.advanceTimeBy(Duration.ofMillis(1)))
			.assertNext((snapshot) -> {
				assertThat(snapshot.getVersion()).isEqualTo(2);
				assertThat(routes(snapshot)).containsExactly("a-1", "a-2");
			})
			.thenCancel()
			.verify(TIMEOUT);
	}

	@Test
	void reportsTheDelayFromABurstsFirstChangeToItsSnapshot() {
		List<Long> delays = new CopyOnWriteArrayList<>();
		SnapshotPublisher timed = new SnapshotPublisher(this.content::get, "c-1", this.scheduler,
				new RoutingProperties(Duration.ofMillis(100), Duration.ofSeconds(1)), delays::add);
		timed.start(this.changes.asFlux(), this.synced.asMono());
		sync();
		this.content.set(content(ready("a-1", "a", "w1")));
		this.changes.tryEmitNext("x");
		this.scheduler.advanceTimeBy(Duration.ofMillis(60));
		this.content.set(content(ready("a-1", "a", "w1"), ready("a-2", "a", "w1")));
		this.changes.tryEmitNext("x");
		this.scheduler.advanceTimeBy(Duration.ofMillis(40));

		assertThat(timed.version()).isEqualTo(2);
		assertThat(delays).as("the first snapshot, then the burst's, 100 ms after its first change")
			.containsExactly(100L, 100L);
	}

	@Test
	void publishesNothingWhenTheContentDidNotChange() {
		sync();
		StepVerifier.create(this.publisher.snapshots())
			.expectNextCount(1)
			.then(() -> change(content()))
			.expectNoEvent(Duration.ofMillis(50))
			.then(() -> change(content(ready("a-1", "a", "w1"))))
			.assertNext((snapshot) -> assertThat(snapshot.getVersion()).isEqualTo(2))
			.thenCancel()
			.verify(TIMEOUT);
	}

	@Test
	void publishesChangedLoadsAtMostOncePerInterval() {
		Replica idle = ready("a-1", "a", "w1");
		this.content.set(content(idle));
		sync();
		StepVerifier.create(this.publisher.snapshots())
			.expectNextCount(1)
			.then(() -> change(content(Replicas.withLoad(idle, new Load(1, 0, 0, 1, true, 1)))))
			.then(() -> change(content(Replicas.withLoad(idle, new Load(2, 0, 0, 2, true, 2)))))
			.expectNoEvent(Duration.ofMillis(50))
			.then(() -> this.scheduler.advanceTimeBy(Duration.ofMillis(800)))
			.assertNext((snapshot) -> {
				assertThat(snapshot.getVersion()).isEqualTo(2);
				assertThat(snapshot.getDeployments(0).getReplicas(0).getLoad().getRunning()).isEqualTo(2);
			})
			.thenCancel()
			.verify(TIMEOUT);
	}

	@Test
	void aReplicaChangeIsNotHeldBackByWaitingLoads() {
		Replica idle = ready("a-1", "a", "w1");
		this.content.set(content(idle));
		sync();
		StepVerifier.create(this.publisher.snapshots())
			.expectNextCount(1)
			.then(() -> change(content(Replicas.withLoad(idle, new Load(1, 0, 0, 1, true, 1)))))
			.then(() -> change(
					content(Replicas.withLoad(idle, new Load(1, 0, 0, 1, true, 1)), ready("a-2", "a", "w1"))))
			.assertNext((snapshot) -> assertThat(routes(snapshot)).containsExactly("a-1", "a-2"))
			.then(() -> this.scheduler.advanceTimeBy(Duration.ofSeconds(5)))
			.expectNoEvent(Duration.ofMillis(50))
			.thenCancel()
			.verify(TIMEOUT);
	}

	@Test
	void aNewWatcherGetsTheCurrentSnapshotFirst() {
		sync();
		change(content(ready("a-1", "a", "w1")));

		StepVerifier.create(this.publisher.snapshots()).assertNext((snapshot) -> {
			assertThat(snapshot.getVersion()).isEqualTo(2);
			assertThat(routes(snapshot)).containsExactly("a-1");
		}).thenCancel().verify(TIMEOUT);
	}

	@Test
	void aSlowWatcherGetsOnlyTheLatestSnapshot() {
		sync();
		StepVerifier.create(this.publisher.snapshots(), 0)
			.then(() -> change(content(ready("a-1", "a", "w1"))))
			.then(() -> change(content(ready("a-1", "a", "w1"), ready("a-2", "a", "w1"))))
			.thenRequest(1)
			.assertNext((snapshot) -> assertThat(snapshot.getVersion()).isEqualTo(3))
			.thenCancel()
			.verify(TIMEOUT);
	}

	@Test
	void stoppingEndsEveryWatch() {
		sync();
		StepVerifier.create(this.publisher.snapshots()).expectNextCount(1).then(() -> {
			this.publisher.stop();
			this.scheduler.advanceTime();
		}).expectComplete().verify(TIMEOUT);
	}

	private void sync() {
		this.synced.tryEmitEmpty();
		this.scheduler.advanceTimeBy(Duration.ofMillis(100));
	}

	private void change(SnapshotContent next) {
		this.content.set(next);
		this.changes.tryEmitNext("changed");
		this.scheduler.advanceTimeBy(Duration.ofMillis(100));
	}

	private static SnapshotContent content(Replica... replicas) {
		Worker worker = new Worker("w1", "127.0.0.1:7001", List.of(), List.of(replicas), Instant.EPOCH);
		return SnapshotContent.of(List.of(sim("a", 2)), List.of(worker));
	}

	private static List<String> routes(RoutingSnapshot snapshot) {
		return snapshot.getDeploymentsList()
			.stream()
			.flatMap((routes) -> routes.getReplicasList().stream())
			.map(ReplicaRoute::getId)
			.toList();
	}

}
