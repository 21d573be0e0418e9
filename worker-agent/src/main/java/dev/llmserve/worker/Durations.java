package dev.llmserve.worker;

import java.time.Duration;
import java.util.Locale;

/** Checks and prints durations the way our settings spell them. */
public final class Durations {

	private Durations() {
	}

	/** {@code 30s}, {@code 10m}, {@code 1m30s}, {@code 0.5s}. */
	public static String format(Duration duration) {
		return duration.toString().substring(2).toLowerCase(Locale.ROOT);
	}

	static void requirePositive(String name, Duration value) {
		if (value == null || value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException("%s: %s (expected: > 0)".formatted(name, value));
		}
	}

}
