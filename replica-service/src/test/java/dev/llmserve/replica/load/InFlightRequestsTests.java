package dev.llmserve.replica.load;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class InFlightRequestsTests {

	private final InFlightRequests inFlight = new InFlightRequests();

	@Test
	void countsAStreamFromSubscriptionUntilItCompletes() {
		StepVerifier.create(this.inFlight.track(Flux.just(1, 2)), 0)
			.then(() -> assertThat(this.inFlight.current()).isEqualTo(1))
			.thenRequest(2)
			.expectNext(1, 2)
			.expectComplete()
			.verify(Duration.ofSeconds(5));

		assertThat(this.inFlight.current()).isZero();
	}

	@Test
	void releasesOnError() {
		StepVerifier.create(this.inFlight.track(Flux.error(new IllegalStateException())))
			.expectError(IllegalStateException.class)
			.verify(Duration.ofSeconds(5));

		assertThat(this.inFlight.current()).isZero();
	}

	@Test
	void releasesOnCancel() {
		StepVerifier.create(this.inFlight.track(Flux.never()))
			.then(() -> assertThat(this.inFlight.current()).isEqualTo(1))
			.thenCancel()
			.verify(Duration.ofSeconds(5));

		assertThat(this.inFlight.current()).isZero();
	}

	@Test
	void countsNothingUntilSubscribed() {
		this.inFlight.track(Flux.never());

		assertThat(this.inFlight.current()).isZero();
	}

}
