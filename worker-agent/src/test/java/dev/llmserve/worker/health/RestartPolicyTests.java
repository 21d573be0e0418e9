package dev.llmserve.worker.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import dev.llmserve.worker.WorkerProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RestartPolicyTests {

	private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

	private final RestartPolicy policy = new RestartPolicy(
			new WorkerProperties.Restart(Duration.ofSeconds(1), Duration.ofSeconds(30), 10, Duration.ofMinutes(10)));

	@Test
	void backoffDoublesFromTheInitialDelayUpToTheCap() {
		assertThat(LongStream.range(0, 8).mapToObj(this.policy::backoff)).containsExactly(Duration.ofSeconds(1),
				Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(16),
				Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30));
	}

	@Test
	void backoffStaysCappedAfterVeryManyRestarts() {
		assertThat(this.policy.backoff(Long.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void eachRecentRestartLengthensTheNextDelay() {
		assertThat(this.policy.decide(List.of(), NOW)).isEqualTo(RestartDecision.restartAfter(Duration.ofSeconds(1)));
		assertThat(this.policy.decide(restartsEvery(Duration.ofSeconds(5), 3), NOW))
			.isEqualTo(RestartDecision.restartAfter(Duration.ofSeconds(8)));
	}

	@Test
	void givesUpAfterMaxRestartsWithinTheWindow() {
		RestartDecision decision = this.policy.decide(restartsEvery(Duration.ofSeconds(30), 10), NOW);

		assertThat(decision.restart()).isFalse();
		assertThat(decision.reason()).isEqualTo("restarted 10 times within 10m");
	}

	@Test
	void restartsThatLeftTheWindowNoLongerCount() {
		List<Instant> longAgo = restartsEvery(Duration.ofSeconds(1), 10).stream()
			.map((time) -> time.minus(Duration.ofMinutes(10)))
			.toList();

		assertThat(this.policy.decide(longAgo, NOW)).isEqualTo(RestartDecision.restartAfter(Duration.ofSeconds(1)));
	}

	/** {@code count} restarts, the last one {@code spacing} before now. */
	private static List<Instant> restartsEvery(Duration spacing, int count) {
		List<Instant> times = new ArrayList<>();
		for (int i = count; i > 0; i--) {
			times.add(NOW.minus(spacing.multipliedBy(i)));
		}
		return times;
	}

}
