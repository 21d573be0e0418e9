package dev.llmserve.controller.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.llmserve.controller.cluster.Worker;
import dev.llmserve.proto.WatchRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static dev.llmserve.controller.cluster.Replicas.ready;
import static dev.llmserve.controller.deployments.Deployments.sim;
import static org.assertj.core.api.Assertions.assertThat;

class RoutingGrpcServiceTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	private final SnapshotPublisher publisher = new SnapshotPublisher(
			() -> SnapshotContent.of(List.of(sim("a", 1)),
					List.of(new Worker("w1", "127.0.0.1:7001", List.of("0"), List.of(ready("a-1", "a", "w1", "0")),
							Instant.EPOCH))),
			"c-1", this.scheduler, new RoutingProperties(Duration.ofMillis(100), Duration.ofSeconds(1)));

	private final RoutingGrpcService service = new RoutingGrpcService(this.publisher);

	@AfterEach
	void dispose() {
		this.scheduler.dispose();
	}

	@Test
	void aWatchStartsWithTheCurrentSnapshotAndLetsGoWhenCancelled() {
		this.publisher.start(Flux.never(), Mono.empty());
		this.scheduler.advanceTimeBy(Duration.ofMillis(100));

		StepVerifier.create(this.service.watch(WatchRequest.newBuilder().setGatewayId("g-1").build()))
			.assertNext((snapshot) -> {
				assertThat(snapshot.getVersion()).isEqualTo(1);
				assertThat(snapshot.getDeployments(0).getReplicas(0).getId()).isEqualTo("a-1");
				assertThat(this.service.watchers()).isEqualTo(1);
			})
			.thenCancel()
			.verify(TIMEOUT);

		assertThat(this.service.watchers()).isZero();
	}

	@Test
	void aWatchBeforeTheControllerIsSyncedReceivesNothingYet() {
		this.publisher.start(Flux.never(), Mono.never());

		StepVerifier.create(this.service.watch(WatchRequest.getDefaultInstance()))
			.then(() -> this.scheduler.advanceTimeBy(Duration.ofMinutes(1)))
			.expectNoEvent(Duration.ofMillis(50))
			.thenCancel()
			.verify(TIMEOUT);
	}

}
