package dev.llmserve.gateway.admission;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.llmserve.gateway.support.FixedRoutingTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Grants, releases, timeouts and cancellations racing on real threads: whatever the
 * interleaving, every permit comes back and the queue ends empty.
 */
class AdmissionRaceTests {

	private final Scheduler scheduler = Schedulers.newParallel("admission-race", 4);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@AfterEach
	void dispose() {
		this.scheduler.dispose();
	}

	@Test
	void neverLeaksAPermitWhenGrantsRaceCancellationsAndTimeouts() throws Exception {
		FixedRoutingTable table = FixedRoutingTable.of("m", FixedRoutingTable.ready("m", 0, "127.0.0.1", 9100),
				FixedRoutingTable.ready("m", 1, "127.0.0.1", 9101));
		AdmissionProperties properties = new AdmissionProperties(2, 4.0, Duration.ofMillis(20), Duration.ofMillis(5),
				Map.of());
		AdmissionControl admission = new AdmissionControl(table, (deployment) -> 2, properties, 1, this.registry,
				this.scheduler);
		admission.start();
		ExecutorService clients = Executors.newFixedThreadPool(8);
		try {
			List<CompletableFuture<Void>> done = new ArrayList<>();
			for (int client = 0; client < 8; client++) {
				done.add(CompletableFuture.runAsync(() -> hammer(admission, 1500), clients));
			}
			CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
		}
		finally {
			clients.shutdownNow();
			admission.stop();
		}

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(gauge("llmserve.gateway.admission.permits.in.use")).isZero();
			assertThat(gauge("llmserve.gateway.admission.queue.depth")).isZero();
		});
		assertThat(this.registry.get("llmserve.gateway.admission.admitted").counter().count()).isPositive();
		assertThat(this.registry.get("llmserve.gateway.admission.abandoned").counter().count()).isPositive();
	}

	private static void hammer(AdmissionControl admission, int requests) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (int i = 0; i < requests; i++) {
			int holdMicros = random.nextInt(200);
			Disposable subscription = admission.admit("m")
				.flatMap((permit) -> Mono.delay(Duration.ofNanos(holdMicros * 1000L))
					.doFinally((signal) -> permit.release()))
				.subscribe((ignored) -> {
				}, (error) -> {
				});
			if (random.nextInt(3) == 0) {
				// Cancel at a random moment: queued, being granted, or holding a permit.
				parkMicros(random.nextInt(100));
				subscription.dispose();
			}
			parkMicros(random.nextInt(50));
		}
	}

	private static void parkMicros(long micros) {
		LockSupport.parkNanos(micros * 1000);
	}

	private double gauge(String name) {
		return this.registry.get(name).tag("deployment", "m").gauge().value();
	}

}
