package dev.llmserve.gateway.admission;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.llmserve.gateway.error.ApiError;
import dev.llmserve.gateway.error.ApiException;
import dev.llmserve.gateway.routing.Replica;
import dev.llmserve.gateway.routing.RoutingTable;
import dev.llmserve.gateway.support.FixedRoutingTable;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

class AdmissionControlTests {

	private static final Duration MAX_WAIT = Duration.ofSeconds(5);

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final FixedRoutingTable table = new FixedRoutingTable(table(2, 1));

	/** Replicas in their cool-down: READY in the table but not routable. */
	private final Set<String> cooling = ConcurrentHashMap.newKeySet();

	private AdmissionControl admission = admission(1, 1.0);

	@AfterEach
	void stop() {
		this.admission.stop();
		this.time.dispose();
	}

	@Test
	void admitsUpToCapacityThenQueuesInArrivalOrderAndRejectsWhenTheQueueIsFull() {
		Attempt first = attempt();
		Attempt second = attempt();
		Attempt third = attempt();
		Attempt fourth = attempt();
		Attempt fifth = attempt();

		assertThat(first.admitted()).isTrue();
		assertThat(second.admitted()).isTrue();
		assertThat(third.waiting()).isTrue();
		assertThat(fourth.waiting()).isTrue();
		assertThat(depth()).isEqualTo(2);
		assertThat(fifth.error()).satisfies((error) -> {
			assertThat(error.status()).isEqualTo(503);
			assertThat(error.type()).isEqualTo("ServiceUnavailableError");
			assertThat(error.retryAfterSeconds()).isEqualTo(1);
			assertThat(error.message()).isEqualTo(
					"The model `m` is overloaded: all 2 of its slots are busy and its queue of 2 is full (retry after 1s)");
		});
		assertThat(rejected("queue_full")).isEqualTo(1);

		second.permit().release();
		assertThat(third.admitted()).isTrue();
		assertThat(fourth.waiting()).isTrue();
		first.permit().release();
		assertThat(fourth.admitted()).isTrue();
		assertThat(depth()).isZero();
		assertThat(inUse()).isEqualTo(2);
	}

	@Test
	void aNewRequestNeverOvertakesQueuedOnes() {
		Attempt first = attempt();
		Attempt second = attempt();
		Attempt queued = attempt();
		// Capacity grows without an event reaching the queue yet: the queued request
		// still goes first.
		this.table.set(table(3, 1));
		Attempt late = attempt();

		assertThat(first.admitted() && second.admitted()).isTrue();
		assertThat(queued.admitted()).isTrue();
		assertThat(late.waiting()).isTrue();
	}

	@Test
	void capacityFollowsTheRoutingTable() {
		this.table.set(table(1, 1));
		this.admission.start();
		Attempt first = attempt();
		Attempt second = attempt();
		assertThat(second.waiting()).isTrue();

		this.table.set(table(2, 1));
		assertThat(second.admitted()).isTrue();
		assertThat(capacity()).isEqualTo(2);

		this.table.set(table(1, 1));
		first.permit().release();
		Attempt third = attempt();
		assertThat(third.waiting()).as("one replica left, its one slot still taken").isTrue();
		second.permit().release();
		assertThat(third.admitted()).isTrue();
	}

	@Test
	void theControllersLimitPerReplicaWinsOverTheConfiguredOne() {
		this.table.set(table(2, 3));

		List<Attempt> attempts = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			attempts.add(attempt());
		}

		assertThat(attempts.stream().filter(Attempt::admitted)).hasSize(6);
		assertThat(attempts.get(6).waiting()).isTrue();
	}

	@Test
	void aReplicaInItsCoolDownAddsNoCapacityUntilItEnds() {
		this.admission.start();
		this.cooling.add("m-1");
		Attempt first = attempt();
		Attempt second = attempt();
		assertThat(first.admitted()).isTrue();
		assertThat(second.waiting()).isTrue();

		this.cooling.clear();
		this.time.advanceTimeBy(Duration.ofMillis(250));

		assertThat(second.admitted()).as("seen at the next tick").isTrue();
	}

	@Test
	void rejectsAQueuedRequestAfterTheMaxWait() {
		attempt();
		attempt();
		Attempt queued = attempt();

		this.time.advanceTimeBy(MAX_WAIT.minusMillis(1));
		assertThat(queued.waiting()).isTrue();
		this.time.advanceTimeBy(Duration.ofMillis(1));

		assertThat(queued.error().message())
			.isEqualTo("The model `m` is overloaded: no slot came free within 5s (retry after 1s)");
		assertThat(queued.error().retryAfterSeconds()).isEqualTo(1);
		assertThat(depth()).isZero();
		assertThat(rejected("wait_timeout")).isEqualTo(1);
	}

	@Test
	void recordsTheTimeSpentInTheQueue() {
		Attempt first = attempt();
		attempt();
		Attempt queued = attempt();
		this.time.advanceTimeBy(Duration.ofSeconds(2));

		first.permit().release();

		assertThat(queued.admitted()).isTrue();
		assertThat(this.registry.get("llmserve.gateway.admission.queue.wait").timer().max(TimeUnit.SECONDS))
			.isEqualTo(2.0);
		assertThat(this.registry.get("llmserve.gateway.admission.admitted").counter().count()).isEqualTo(3);
	}

	@Test
	void aRequestWhoseClientLeavesTheQueueFreesItsPlaceAtOnce() {
		Attempt first = attempt();
		attempt();
		Attempt leaving = attempt();
		Attempt staying = attempt();
		assertThat(depth()).isEqualTo(2);

		leaving.subscription().dispose();

		assertThat(depth()).isEqualTo(1);
		assertThat(this.registry.get("llmserve.gateway.admission.abandoned").counter().count()).isEqualTo(1);
		Attempt next = attempt();
		assertThat(next.waiting()).as("took the freed place").isTrue();
		first.permit().release();
		assertThat(staying.admitted()).isTrue();
		assertThat(leaving.permit()).isNull();
		assertThat(inUse()).isEqualTo(2);
	}

	@Test
	void releasesThePermitWhenTheStreamCompletesFailsOrIsCancelled() {
		Attempt completing = attempt();
		StepVerifier.create(completing.permit().releaseOnEnd(Flux.just(1, 2))).expectNext(1, 2).verifyComplete();
		assertThat(inUse()).isZero();

		Attempt failing = attempt();
		StepVerifier.create(failing.permit().releaseOnEnd(Flux.error(Status.UNAVAILABLE.asRuntimeException())))
			.verifyError();
		assertThat(inUse()).isZero();

		Attempt cancelled = attempt();
		TestPublisher<Integer> chunks = TestPublisher.create();
		StepVerifier.create(cancelled.permit().releaseOnEnd(chunks.flux()))
			.then(() -> chunks.next(1))
			.expectNext(1)
			.then(() -> assertThat(inUse()).isEqualTo(1))
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		assertThat(inUse()).isZero();
	}

	@Test
	void releasingTwiceGivesBackOnePermit() {
		Attempt first = attempt();
		attempt();
		Attempt queued = attempt();
		Attempt alsoQueued = attempt();

		first.permit().release();
		first.permit().release();

		assertThat(queued.admitted()).isTrue();
		assertThat(alsoQueued.waiting()).isTrue();
	}

	@Test
	void rejectsAtOnceWhenNoReplicaCanTakeRequests() {
		this.cooling.addAll(Set.of("m-0", "m-1"));

		Attempt attempt = attempt();

		assertThat(attempt.error().message()).isEqualTo("No healthy replica of `m` is available (retry after 1s)");
		assertThat(rejected("no_replica")).isEqualTo(1);
	}

	@Test
	void withoutAQueueRejectsAsSoonAsEveryPermitIsTaken() {
		this.admission = admission(1, 0.0);
		attempt();
		attempt();

		assertThat(attempt().error().message()).contains("its queue of 0 is full");
	}

	@Test
	void withoutALimitAdmitsEverything() {
		this.admission = admission(0, 1.0);

		List<Attempt> attempts = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			attempts.add(attempt());
		}

		assertThat(attempts).allMatch(Attempt::admitted);
		assertThat(this.registry.get("llmserve.gateway.admission.capacity").gauge().value())
			.isEqualTo(Double.POSITIVE_INFINITY);
	}

	@Test
	void letsModelsThatAreNotInTheTableThroughWithoutStateOrMeters() {
		for (int i = 0; i < 10; i++) {
			AtomicReference<Permit> permit = new AtomicReference<>();
			this.admission.admit("made-up-" + i).subscribe(permit::set);
			assertThat(permit.get()).isNotNull();
			permit.get().release();
		}

		assertThat(this.registry.find("llmserve.gateway.admission.admitted").counters()).isEmpty();
	}

	private AdmissionControl admission(int perReplica, double queueFactor) {
		AdmissionProperties properties = new AdmissionProperties(perReplica, queueFactor, MAX_WAIT,
				Duration.ofMillis(250), Map.of());
		return new AdmissionControl(this.table, this::routable, properties, 1, this.registry, this.time);
	}

	private int routable(String deployment) {
		return (int) this.table.current()
			.replicas(deployment)
			.stream()
			.filter((replica) -> replica.isReady() && !this.cooling.contains(replica.id()))
			.count();
	}

	private static RoutingTable table(int replicas, int maxConcurrentPerReplica) {
		List<Replica> list = new ArrayList<>();
		for (int i = 0; i < replicas; i++) {
			list.add(FixedRoutingTable.ready("m", i, "127.0.0.1", 9100 + i));
		}
		Map<String, Integer> limits = (maxConcurrentPerReplica > 1) ? Map.of("m", maxConcurrentPerReplica) : Map.of();
		return new RoutingTable(replicas, Map.of("m", list), limits);
	}

	private Attempt attempt() {
		AtomicReference<Permit> permit = new AtomicReference<>();
		AtomicReference<Throwable> error = new AtomicReference<>();
		Disposable subscription = this.admission.admit("m").subscribe(permit::set, error::set);
		return new Attempt(permit, error, subscription);
	}

	private double depth() {
		return this.registry.get("llmserve.gateway.admission.queue.depth").tag("deployment", "m").gauge().value();
	}

	private double inUse() {
		return this.registry.get("llmserve.gateway.admission.permits.in.use").tag("deployment", "m").gauge().value();
	}

	private double capacity() {
		return this.registry.get("llmserve.gateway.admission.capacity").tag("deployment", "m").gauge().value();
	}

	private double rejected(String reason) {
		return this.registry.get("llmserve.gateway.admission.rejected")
			.tag("deployment", "m")
			.tag("reason", reason)
			.counter()
			.count();
	}

	private record Attempt(AtomicReference<Permit> permitRef, AtomicReference<Throwable> errorRef,
			Disposable subscription) {

		Permit permit() {
			return this.permitRef.get();
		}

		boolean admitted() {
			return this.permitRef.get() != null;
		}

		boolean waiting() {
			return this.permitRef.get() == null && this.errorRef.get() == null && !this.subscription.isDisposed();
		}

		ApiError error() {
			assertThat(this.errorRef.get()).isInstanceOf(ApiException.class);
			return ((ApiException) this.errorRef.get()).error();
		}

	}

}
