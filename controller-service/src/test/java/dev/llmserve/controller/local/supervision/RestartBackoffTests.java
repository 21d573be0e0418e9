package dev.llmserve.controller.local.supervision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.llmserve.controller.cluster.MutableClock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RestartBackoffTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-10T08:00:00Z"));

	private final RestartBackoff backoff = new RestartBackoff(
			new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(10)), this.clock);

	@Test
	void restartsAtOnceAChildThatRanStably() {
		assertThat(endAfter(Duration.ofMinutes(5))).isZero();
		assertThat(endAfter(Duration.ofSeconds(10))).isZero();
	}

	@Test
	void restartsAtOnceAChildThatEndsQuicklyForTheFirstTime() {
		assertThat(endAfter(Duration.ofSeconds(2))).isZero();
	}

	@Test
	void backsOffExponentiallyUpToTheCapWhileAChildKeepsEndingQuickly() {
		List<Duration> delays = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			delays.add(endAfter(Duration.ofSeconds(1)));
		}

		assertThat(delays).containsExactly(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2),
				Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(8), Duration.ofSeconds(8));
	}

	@Test
	void aStableRunEndsTheBackoff() {
		endAfter(Duration.ofSeconds(1));
		endAfter(Duration.ofSeconds(1));
		endAfter(Duration.ofSeconds(1));

		assertThat(endAfter(Duration.ofSeconds(30))).isZero();
		assertThat(endAfter(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void aLongRunThatNeverAnsweredIsNotStable() {
		endAfter(Duration.ofSeconds(1));

		assertThat(endAfter(Duration.ofSeconds(30), false)).isEqualTo(Duration.ofSeconds(1));
	}

	private Duration endAfter(Duration ran) {
		return endAfter(ran, true);
	}

	private Duration endAfter(Duration ran, boolean answered) {
		Instant started = this.clock.instant();
		this.clock.advance(ran);
		return this.backoff.next(started, answered);
	}

}
