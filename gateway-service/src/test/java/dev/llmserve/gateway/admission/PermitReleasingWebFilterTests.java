package dev.llmserve.gateway.admission;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

class PermitReleasingWebFilterTests {

	private final PermitReleasingWebFilter filter = new PermitReleasingWebFilter();

	private final MockServerWebExchange exchange = MockServerWebExchange
		.from(MockServerHttpRequest.post("/v1/completions"));

	private final Permit permit = Permit.unlimited();

	@Test
	void releasesAPermitTheExchangeStillHoldsWhenItIsCancelled() {
		WebFilterChain holdsForever = (exchange) -> {
			ExchangePermits.hold(exchange, this.permit);
			return Mono.never();
		};

		StepVerifier.create(this.filter.filter(this.exchange, holdsForever))
			.expectSubscription()
			.then(() -> assertThat(this.permit.isReleased()).isFalse())
			.thenCancel()
			.verify(Duration.ofSeconds(5));

		assertThat(this.permit.isReleased()).isTrue();
	}

	@Test
	void releasesAPermitTheExchangeStillHoldsWhenItFails() {
		WebFilterChain fails = (exchange) -> {
			ExchangePermits.hold(exchange, this.permit);
			return Mono.error(new IllegalStateException("write failed"));
		};

		StepVerifier.create(this.filter.filter(this.exchange, fails)).verifyError(IllegalStateException.class);

		assertThat(this.permit.isReleased()).isTrue();
	}

}
