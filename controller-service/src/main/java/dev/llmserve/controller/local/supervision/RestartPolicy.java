package dev.llmserve.controller.local.supervision;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When a child that ended is started again. A child that answered its health check and
 * ran for at least {@code stableAfter} is restarted at once, and so is one that ends
 * quickly for the first time; while it keeps ending quickly (or never answering), the
 * delays grow from {@code initialBackoff}, doubling, up to {@code maxBackoff}.
 *
 * @param initialBackoff the delay after the second quick end in a row
 * @param maxBackoff the longest delay
 * @param stableAfter how long a child must have run, answering its health check, for its
 * end not to count as quick
 */
public record RestartPolicy(@NotNull @DefaultValue("1s") Duration initialBackoff,
		@NotNull @DefaultValue("30s") Duration maxBackoff, @NotNull @DefaultValue("10s") Duration stableAfter) {

	public RestartPolicy {
		Durations.requirePositive("initialBackoff", initialBackoff);
		Durations.requirePositive("maxBackoff", maxBackoff);
		Durations.requirePositive("stableAfter", stableAfter);
		if (maxBackoff.compareTo(initialBackoff) < 0) {
			throw new IllegalArgumentException(
					"maxBackoff: %s (expected: >= initialBackoff %s)".formatted(maxBackoff, initialBackoff));
		}
	}

}
