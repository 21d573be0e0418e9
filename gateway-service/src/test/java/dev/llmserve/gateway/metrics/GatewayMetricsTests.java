package dev.llmserve.gateway.metrics;

import java.time.Duration;

import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayMetricsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final GatewayMetrics metrics = new GatewayMetrics(this.registry);

	@Test
	void countsOutcomesPerDeployment() {
		StepVerifier.create(this.metrics.instrument("m", Flux.just(1, 2)))
			.expectNextCount(2)
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.metrics.instrument("m", Flux.error(Status.UNAVAILABLE.asRuntimeException())))
			.expectError()
			.verify(TIMEOUT);
		StepVerifier.create(this.metrics.instrument("m", Flux.error(Status.INVALID_ARGUMENT.asRuntimeException())))
			.expectError()
			.verify(TIMEOUT);
		assertThat(requests("success")).isEqualTo(1);
		assertThat(requests("unavailable")).isEqualTo(1);
		assertThat(requests("rejected")).isEqualTo(1);
		assertThat(this.registry.get("llmserve.gateway.time.to.first.token").timer().count()).isEqualTo(1);
	}

	@Test
	void countsAStreamActiveUntilItIsCancelled() {
		TestPublisher<Integer> chunks = TestPublisher.create();
		StepVerifier.create(this.metrics.instrument("m", chunks.flux()))
			.then(() -> assertThat(active()).isEqualTo(1))
			.then(() -> chunks.next(1))
			.expectNext(1)
			.thenCancel()
			.verify(TIMEOUT);
		assertThat(active()).isZero();
		assertThat(requests("cancelled")).isEqualTo(1);
	}

	private double requests(String outcome) {
		return this.registry.get("llmserve.gateway.requests")
			.tag("deployment", "m")
			.tag("outcome", outcome)
			.counter()
			.count();
	}

	private double active() {
		return this.registry.get("llmserve.gateway.streams.active").tag("deployment", "m").gauge().value();
	}

}
