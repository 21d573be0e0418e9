package dev.llmserve.gateway.admission;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExchangePermitsTests {

	@Test
	void releasesWhatItHoldsWhenTheExchangeEnds() {
		ExchangePermits permits = new ExchangePermits();
		Permit permit = Permit.unlimited();
		permits.hold(permit);
		assertThat(permit.isReleased()).isFalse();

		permits.close();

		assertThat(permit.isReleased()).isTrue();
	}

	@Test
	void releasesAtOnceAPermitHeldAfterTheExchangeEnded() {
		ExchangePermits permits = new ExchangePermits();
		permits.close();
		Permit permit = Permit.unlimited();

		permits.hold(permit);

		assertThat(permit.isReleased()).isTrue();
	}

}
