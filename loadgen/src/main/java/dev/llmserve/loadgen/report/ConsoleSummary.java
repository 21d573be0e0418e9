package dev.llmserve.loadgen.report;

import java.util.Locale;
import java.util.Map;

import dev.llmserve.loadgen.client.Outcome;
import dev.llmserve.loadgen.load.RunReport;
import dev.llmserve.loadgen.metrics.Percentiles;
import dev.llmserve.loadgen.metrics.ResultAggregator;

/**
 * The end-of-run summary, laid out like {@code vllm bench serve}'s, with p95 and failures
 * added.
 */
public final class ConsoleSummary {

	private ConsoleSummary() {
	}

	public static String render(String label, RunReport report) {
		ResultAggregator.Totals totals = report.totals();
		double seconds = report.durationSeconds();
		StringBuilder out = new StringBuilder();
		out.append("============ Serving Benchmark Result ============\n");
		if (label != null) {
			line(out, "Label:", label);
		}
		line(out, "Successful requests:", totals.count(Outcome.SUCCESS));
		line(out, "Failed requests:", totals.failures() + failureBreakdown(totals));
		line(out, "Cancelled at end of run:", totals.count(Outcome.CANCELLED));
		line(out, "Benchmark duration (s):", fixed(seconds));
		line(out, "Total input tokens:", totals.inputTokens());
		line(out, "Total generated tokens:", totals.outputTokens());
		line(out, "Request throughput (req/s):", fixed(totals.count(Outcome.SUCCESS) / seconds));
		if (totals.goodRequests() >= 0) {
			line(out, "Request goodput (req/s):", fixed(totals.goodRequests() / seconds));
		}
		line(out, "Output token throughput (tok/s):", fixed(totals.outputTokens() / seconds));
		line(out, "Peak output token throughput (tok/s):", report.peakOutputTokensPerSecond());
		line(out, "Total token throughput (tok/s):", fixed((totals.inputTokens() + totals.outputTokens()) / seconds));
		line(out, "Max concurrent requests:", report.peakInFlight());
		section(out, "Time to First Token", "TTFT", totals.ttft());
		section(out, "Time per Output Token (excl. 1st token)", "TPOT", totals.tpot());
		section(out, "Inter-token Latency", "ITL", totals.itl());
		section(out, "End-to-end Latency", "E2EL", totals.e2el());
		if (totals.queue() != null) {
			section(out, "Client Queue Time", "queue", totals.queue());
		}
		out.append("==================================================\n");
		return out.toString();
	}

	private static String failureBreakdown(ResultAggregator.Totals totals) {
		StringBuilder text = new StringBuilder();
		for (Map.Entry<String, Long> entry : totals.byOutcome().entrySet()) {
			if (entry.getValue() > 0 && !entry.getKey().equals(Outcome.SUCCESS.label())
					&& !entry.getKey().equals(Outcome.CANCELLED.label())) {
				text.append(text.isEmpty() ? " (" : ", ").append(entry.getKey()).append(' ').append(entry.getValue());
			}
		}
		totals.byHttpStatus()
			.forEach((status, count) -> text.append(", HTTP ").append(status).append(' ').append(count));
		return text.isEmpty() ? "" : text.append(')').toString();
	}

	private static void section(StringBuilder out, String title, String name, Percentiles p) {
		int pad = Math.max(0, 50 - title.length());
		out.append("-".repeat(pad / 2)).append(title).append("-".repeat(pad - pad / 2)).append('\n');
		if (p == null) {
			line(out, name + ":", "no data");
			return;
		}
		line(out, "Mean " + name + " (ms):", fixed(p.mean()));
		line(out, "Median " + name + " (ms):", fixed(p.p50()));
		line(out, "P90 " + name + " (ms):", fixed(p.p90()));
		line(out, "P95 " + name + " (ms):", fixed(p.p95()));
		line(out, "P99 " + name + " (ms):", fixed(p.p99()));
		line(out, "Max " + name + " (ms):", fixed(p.max()));
	}

	private static void line(StringBuilder out, String name, Object value) {
		out.append(String.format(Locale.ROOT, "%-41s%s%n", name, value));
	}

	private static String fixed(double value) {
		return String.format(Locale.ROOT, "%.2f", value);
	}

}
