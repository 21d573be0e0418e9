package dev.llmserve.loadgen.report;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.llmserve.loadgen.cli.LoadgenOptions;
import dev.llmserve.loadgen.client.Outcome;
import dev.llmserve.loadgen.load.RunReport;
import dev.llmserve.loadgen.metrics.Percentiles;
import dev.llmserve.loadgen.metrics.ResultAggregator;

/**
 * The content of {@code summary.json}: counts by outcome, throughputs, and the latency
 * statistics in milliseconds, under stable snake_case keys that scripts read.
 */
public final class SummaryDocument {

	private SummaryDocument() {
	}

	public static Map<String, Object> of(LoadgenOptions options, RunReport report) {
		ResultAggregator.Totals totals = report.totals();
		double seconds = report.durationSeconds();
		Map<String, Object> doc = new LinkedHashMap<>();
		doc.put("label", options.label());
		doc.put("started_at", report.startedAt().toString());
		doc.put("duration_s", round(seconds));
		doc.put("config", config(options));
		doc.put("requests", requests(totals));
		doc.put("tokens", Map.of("input", totals.inputTokens(), "output", totals.outputTokens()));
		Map<String, Object> throughput = new LinkedHashMap<>();
		throughput.put("requests_per_s", round(totals.count(Outcome.SUCCESS) / seconds));
		throughput.put("goodput_requests_per_s",
				(totals.goodRequests() < 0) ? null : round(totals.goodRequests() / seconds));
		throughput.put("output_tokens_per_s", round(totals.outputTokens() / seconds));
		throughput.put("total_tokens_per_s", round((totals.inputTokens() + totals.outputTokens()) / seconds));
		throughput.put("peak_output_tokens_per_s", report.peakOutputTokensPerSecond());
		throughput.put("streamed_output_tokens_per_s", round(report.streamedTokensPerSecond()));
		doc.put("throughput", throughput);
		doc.put("max_concurrent_requests", report.peakInFlight());
		doc.put("client_cpu_s", Double.isNaN(report.clientCpuSeconds()) ? null : round(report.clientCpuSeconds()));
		Map<String, Object> latency = new LinkedHashMap<>();
		latency.put("ttft", stats(totals.ttft()));
		latency.put("tpot", stats(totals.tpot()));
		latency.put("itl", stats(totals.itl()));
		latency.put("e2el", stats(totals.e2el()));
		latency.put("queue", stats(totals.queue()));
		doc.put("latency_ms", latency);
		return doc;
	}

	private static Map<String, Object> config(LoadgenOptions options) {
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("targets", options.client().targets().stream().map(Object::toString).toList());
		config.put("api", options.workload().api().name().toLowerCase(java.util.Locale.ROOT));
		config.put("model", options.workload().model());
		config.put("load", options.shape().describe());
		config.put("warmup_s", options.limits().warmup().toMillis() / 1000.0);
		config.put("duration_s", options.limits().duration().toMillis() / 1000.0);
		config.put("drain_s", options.limits().drain().toMillis() / 1000.0);
		config.put("input_tokens", options.workload().inputTokens().toString());
		config.put("max_tokens", options.workload().maxTokens().toString());
		config.put("ignore_eos", options.workload().ignoreEos());
		config.put("prefix_groups", options.workload().prefixGroups());
		config.put("prefix_tokens", options.workload().prefixTokens());
		config.put("slo", options.slo().isEmpty() ? null : options.slo().toString());
		config.put("seed", options.workload().seed());
		return config;
	}

	private static Map<String, Object> requests(ResultAggregator.Totals totals) {
		Map<String, Object> requests = new LinkedHashMap<>();
		long all = totals.byOutcome().values().stream().mapToLong(Long::longValue).sum();
		requests.put("total", all);
		requests.put("successful", totals.count(Outcome.SUCCESS));
		requests.put("failed", totals.failures());
		requests.put("cancelled", totals.count(Outcome.CANCELLED));
		requests.put("by_outcome", totals.byOutcome());
		requests.put("by_http_status", totals.byHttpStatus());
		requests.put("failure_examples", totals.failureExamples());
		return requests;
	}

	static Map<String, Object> stats(Percentiles p) {
		if (p == null) {
			return null;
		}
		Map<String, Object> stats = new LinkedHashMap<>();
		stats.put("count", p.count());
		stats.put("mean", round(p.mean()));
		stats.put("stddev", round(p.stddev()));
		stats.put("p50", round(p.p50()));
		stats.put("p90", round(p.p90()));
		stats.put("p95", round(p.p95()));
		stats.put("p99", round(p.p99()));
		stats.put("max", round(p.max()));
		return stats;
	}

	static double round(double value) {
		return Math.round(value * 1000.0) / 1000.0;
	}

}
