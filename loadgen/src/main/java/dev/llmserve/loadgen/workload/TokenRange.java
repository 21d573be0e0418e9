package dev.llmserve.loadgen.workload;

import java.util.random.RandomGenerator;

/**
 * An inclusive range of token counts, written {@code N} or {@code MIN:MAX}; each request
 * draws uniformly from it.
 *
 * @param min the smallest count
 * @param max the largest count
 */
public record TokenRange(int min, int max) {

	public TokenRange {
		if (min < 0 || max < min) {
			throw new IllegalArgumentException("token range: %d:%d (expected: 0 <= min <= max)".formatted(min, max));
		}
	}

	public static TokenRange parse(String name, String value) {
		String[] parts = value.trim().split(":", -1);
		try {
			if (parts.length == 1) {
				int n = Integer.parseInt(parts[0]);
				return new TokenRange(n, n);
			}
			if (parts.length == 2) {
				return new TokenRange(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below, with the flag's name
		}
		throw new IllegalArgumentException("%s: %s (expected: N or MIN:MAX, 0 <= MIN <= MAX)".formatted(name, value));
	}

	public int sample(RandomGenerator random) {
		return (min == max) ? min : random.nextInt(min, max + 1);
	}

	@Override
	public String toString() {
		return (min == max) ? Integer.toString(min) : min + ":" + max;
	}

}
