package dev.llmserve.controller.local.supervision;

import java.time.Duration;

/** Argument checks for durations in settings. */
final class Durations {

	private Durations() {
	}

	static void requirePositive(String name, Duration value) {
		if (value == null || value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException("%s: %s (expected: > 0)".formatted(name, value));
		}
	}

}
