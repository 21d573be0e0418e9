package dev.llmserve.loadgen.metrics;

import java.util.Locale;

/**
 * Service-level objectives for goodput, in milliseconds; null where there is none. A
 * request is good when every given metric is at most its objective
 * ({@code vllm bench serve
 * --goodput}); TPOT counts as 0 for a request of one token.
 *
 * @param ttftMs time-to-first-token objective
 * @param tpotMs time-per-output-token objective
 * @param e2elMs end-to-end latency objective
 */
public record Slo(Double ttftMs, Double tpotMs, Double e2elMs) {

	public static final Slo NONE = new Slo(null, null, null);

	/** Parses {@code ttft:MS,tpot:MS,e2el:MS} (any subset). */
	public static Slo parse(String value) {
		Double ttft = null;
		Double tpot = null;
		Double e2el = null;
		for (String part : value.split(",")) {
			String[] pair = part.trim().split(":");
			double ms = milliseconds(value, pair);
			switch (pair[0].trim().toLowerCase(Locale.ROOT)) {
				case "ttft" -> ttft = ms;
				case "tpot" -> tpot = ms;
				case "e2el" -> e2el = ms;
				default -> throw invalid(value);
			}
		}
		return new Slo(ttft, tpot, e2el);
	}

	private static double milliseconds(String value, String[] pair) {
		if (pair.length != 2) {
			throw invalid(value);
		}
		try {
			double ms = Double.parseDouble(pair[1].trim());
			if (ms > 0) {
				return ms;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw invalid(value);
	}

	private static IllegalArgumentException invalid(String value) {
		return new IllegalArgumentException(
				"slo: %s (expected: ttft:MS,tpot:MS,e2el:MS, any subset, MS > 0)".formatted(value));
	}

	public boolean isEmpty() {
		return this.ttftMs == null && this.tpotMs == null && this.e2elMs == null;
	}

	/** Whether a request meets every objective. */
	public boolean isMetBy(RequestMetrics metrics) {
		return within(this.ttftMs, metrics.ttftNanos()) && within(this.tpotMs, metrics.tpotNanos())
				&& within(this.e2elMs, metrics.e2elNanos());
	}

	private static boolean within(Double objectiveMs, double valueNanos) {
		return objectiveMs == null || valueNanos / 1e6 <= objectiveMs;
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder();
		append(text, "ttft", this.ttftMs);
		append(text, "tpot", this.tpotMs);
		append(text, "e2el", this.e2elMs);
		return text.toString();
	}

	private static void append(StringBuilder text, String name, Double ms) {
		if (ms != null) {
			text.append(text.isEmpty() ? "" : ",").append(name).append(':').append(ms);
		}
	}

}
