package dev.llmserve.loadgen.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code 500ms}, {@code 90s}, {@code 2m}, {@code 1h}; a bare number is seconds.
 */
final class Durations {

	private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

	private Durations() {
	}

	static Duration parse(String name, String value) {
		Matcher matcher = DURATION.matcher(value.trim());
		if (!matcher.matches()) {
			throw new IllegalArgumentException(
					"%s: %s (expected: a duration like 500ms, 90s, 2m or 1h)".formatted(name, value));
		}
		double amount = Double.parseDouble(matcher.group(1));
		String unit = (matcher.group(2) != null) ? matcher.group(2) : "s";
		double millis = switch (unit) {
			case "ms" -> amount;
			case "m" -> amount * 60_000;
			case "h" -> amount * 3_600_000;
			default -> amount * 1_000;
		};
		return Duration.ofNanos(Math.round(millis * 1_000_000));
	}

}
