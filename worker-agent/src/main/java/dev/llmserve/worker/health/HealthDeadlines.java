package dev.llmserve.worker.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.llmserve.worker.WorkerProperties;
import dev.llmserve.worker.Durations;
import dev.llmserve.worker.replicas.ProbeTarget;

/**
 * When a replica that is alive but not healthy has been so for too long: never ready
 * within its startup timeout, or not serving for longer than the unhealthy timeout after
 * it was ready.
 */
final class HealthDeadlines {

	private final WorkerProperties.Health settings;

	HealthDeadlines(WorkerProperties.Health settings) {
		this.settings = settings;
	}

	/** Why the launch should be killed and restarted, if it should. */
	Optional<String> overdue(ProbeTarget target, Instant now) {
		if (target.isReady()) {
			Instant since = (target.lastHealthyAt() != null) ? target.lastHealthyAt() : target.launchedAt();
			return exceeded(since, this.settings.unhealthyTimeout(), now)
				.map((limit) -> "unhealthy for more than " + Durations.format(limit));
		}
		return exceeded(target.launchedAt(), startupTimeout(target), now)
			.map((limit) -> "not ready within " + Durations.format(limit) + " of its launch");
	}

	private Duration startupTimeout(ProbeTarget target) {
		return "vllm".equals(target.engineKind()) ? this.settings.vllmStartupTimeout() : this.settings.startupTimeout();
	}

	private static Optional<Duration> exceeded(Instant since, Duration limit, Instant now) {
		return Duration.between(since, now).compareTo(limit) > 0 ? Optional.of(limit) : Optional.empty();
	}

}
