package dev.llmserve.gateway.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StallWatchTests {

	private static final long TIMEOUT = Duration.ofSeconds(10).toNanos();

	private final StallWatch watch = new StallWatch(TIMEOUT);

	@Test
	void connectionWithNothingWaitingIsNeverStalled() {
		assertThat(this.watch.isStalled(0, 0)).isFalse();
		assertThat(this.watch.isStalled(0, 10 * TIMEOUT)).isFalse();
	}

	@Test
	void backlogThatDoesNotShrinkForTheTimeoutIsAStall() {
		assertThat(this.watch.isStalled(500, 0)).isFalse();
		assertThat(this.watch.isStalled(500, TIMEOUT - 1)).isFalse();
		assertThat(this.watch.isStalled(500, TIMEOUT)).isTrue();
	}

	@Test
	void backlogThatGrowsWithoutDrainingIsAStall() {
		assertThat(this.watch.isStalled(500, 0)).isFalse();
		assertThat(this.watch.isStalled(900, TIMEOUT / 2)).isFalse();
		assertThat(this.watch.isStalled(1200, TIMEOUT)).isTrue();
	}

	@Test
	void anyDrainingCountsAsProgressAndRestartsTheClock() {
		assertThat(this.watch.isStalled(500, 0)).isFalse();
		assertThat(this.watch.isStalled(499, TIMEOUT)).isFalse();
		assertThat(this.watch.isStalled(499, 2 * TIMEOUT - 1)).isFalse();
		assertThat(this.watch.isStalled(499, 2 * TIMEOUT)).isTrue();
	}

	@Test
	void anEmptyBacklogResetsTheWatch() {
		assertThat(this.watch.isStalled(500, 0)).isFalse();
		assertThat(this.watch.isStalled(0, TIMEOUT)).isFalse();
		assertThat(this.watch.isStalled(800, TIMEOUT + 1)).isFalse();
		assertThat(this.watch.isStalled(800, 2 * TIMEOUT)).isFalse();
		assertThat(this.watch.isStalled(800, 2 * TIMEOUT + 1)).isTrue();
	}

}
