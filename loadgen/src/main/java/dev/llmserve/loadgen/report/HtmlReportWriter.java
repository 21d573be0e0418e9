package dev.llmserve.loadgen.report;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.llmserve.loadgen.metrics.TimelineRow;

/**
 * {@code report.html}: the summary and charts over time (users and in-flight requests,
 * requests/s, tokens/s, TTFT and E2EL percentiles, errors) in one self-contained file.
 */
final class HtmlReportWriter {

	private static final String STYLE = "body{font-family:sans-serif;margin:24px;color:#222}"
			+ "table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;padding:3px 8px;"
			+ "text-align:right}th{background:#f3f3f3}td.k{text-align:left}.chart{display:block;margin:8px 0}"
			+ ".title{font-weight:bold;font-size:14px}.tick{font-size:11px;fill:#555}.grid{stroke:#e5e5e5}"
			+ "pre{background:#f7f7f7;padding:8px;overflow:auto}";

	private HtmlReportWriter() {
	}

	@SuppressWarnings("unchecked")
	static String render(Map<String, Object> summary, List<TimelineRow> timeline) {
		StringBuilder html = new StringBuilder();
		Object label = summary.get("label");
		String title = "loadgen report" + ((label != null) ? ": " + label : "");
		html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
			.append(escape(title))
			.append("</title><style>")
			.append(STYLE)
			.append("</style></head><body>\n<h1>")
			.append(escape(title))
			.append("</h1>\n");
		html.append("<p>Started ")
			.append(escape(String.valueOf(summary.get("started_at"))))
			.append(", ")
			.append(summary.get("duration_s"))
			.append(" s.</p>\n");
		keyValues(html, "Configuration", (Map<String, Object>) summary.get("config"));
		keyValues(html, "Requests", flatten((Map<String, Object>) summary.get("requests")));
		keyValues(html, "Throughput", (Map<String, Object>) summary.get("throughput"));
		latencyTable(html, (Map<String, Object>) summary.get("latency_ms"));
		charts(html, timeline);
		return html.append("</body></html>\n").toString();
	}

	private static Map<String, Object> flatten(Map<String, Object> requests) {
		Map<String, Object> flat = new java.util.LinkedHashMap<>();
		requests.forEach((key, value) -> {
			if (value instanceof Map<?, ?> nested) {
				nested.forEach((k, v) -> flat.put(key + "." + k, v));
			}
			else {
				flat.put(key, value);
			}
		});
		return flat;
	}

	private static void keyValues(StringBuilder html, String title, Map<String, Object> values) {
		html.append("<h2>").append(title).append("</h2>\n<table>\n");
		values.forEach((key, value) -> html.append("<tr><td class=\"k\">")
			.append(escape(key))
			.append("</td><td class=\"k\">")
			.append(escape(String.valueOf(value)))
			.append("</td></tr>\n"));
		html.append("</table>\n");
	}

	@SuppressWarnings("unchecked")
	private static void latencyTable(StringBuilder html, Map<String, Object> latency) {
		String[] columns = { "count", "mean", "p50", "p90", "p95", "p99", "max" };
		html.append("<h2>Latency (ms)</h2>\n<table><tr><th></th>");
		for (String column : columns) {
			html.append("<th>").append(column).append("</th>");
		}
		html.append("</tr>\n");
		latency.forEach((metric, value) -> {
			html.append("<tr><td class=\"k\">").append(metric.toUpperCase(java.util.Locale.ROOT)).append("</td>");
			Map<String, Object> stats = (Map<String, Object>) value;
			for (String column : columns) {
				html.append("<td>").append((stats != null) ? stats.get(column) : "–").append("</td>");
			}
			html.append("</tr>\n");
		});
		html.append("</table>\n");
	}

	private static void charts(StringBuilder html, List<TimelineRow> timeline) {
		double[] xs = timeline.stream().mapToDouble(TimelineRow::second).toArray();
		html.append("<h2>Over time</h2>\n");
		html.append(SvgChart.render("Active users and requests in flight", xs,
				List.of(series("users", "#1f77b4", timeline, TimelineRow::activeUsers),
						series("in flight", "#ff7f0e", timeline, TimelineRow::inFlight))));
		html.append(SvgChart.render("Requests per second", xs,
				List.of(series("started", "#7f7f7f", timeline, TimelineRow::started),
						series("succeeded", "#2ca02c", timeline, TimelineRow::succeeded),
						series("failed", "#d62728", timeline, TimelineRow::failed))));
		html.append(SvgChart.render("Output tokens per second", xs,
				List.of(series("tokens/s", "#9467bd", timeline, TimelineRow::outputTokens))));
		html.append(SvgChart.render("Time to first token (ms)", xs,
				List.of(series("p50", "#2ca02c", timeline, TimelineRow::ttftP50),
						series("p95", "#ff7f0e", timeline, TimelineRow::ttftP95),
						series("p99", "#d62728", timeline, TimelineRow::ttftP99))));
		html.append(SvgChart.render("End-to-end latency (ms)", xs,
				List.of(series("p50", "#2ca02c", timeline, TimelineRow::e2elP50),
						series("p95", "#ff7f0e", timeline, TimelineRow::e2elP95),
						series("p99", "#d62728", timeline, TimelineRow::e2elP99))));
		html.append(SvgChart.render("Errors per second", xs,
				List.of(series("failed", "#d62728", timeline, TimelineRow::failed))));
	}

	private static SvgChart.Series series(String name, String color, List<TimelineRow> rows,
			ToDoubleFunction<TimelineRow> value) {
		return new SvgChart.Series(name, color, rows.stream().mapToDouble(value).toArray());
	}

	static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

}
