package dev.llmserve.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every PromQL query of every Grafana dashboard under {@code infra/grafana/dashboards}:
 * each panel target's {@code expr} and each query variable's {@code label_values(...)},
 * with Grafana's variables replaced the way Grafana would for "All" and a short range.
 */
final class DashboardQueries {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\)");

	/**
	 * One query.
	 *
	 * @param where dashboard, panel and target, for messages
	 * @param grafana the query as Grafana holds it
	 * @param promql the query as Prometheus gets it
	 */
	record Query(String where, String grafana, String promql) {

		@Override
		public String toString() {
			return this.where + ": " + this.promql;
		}

	}

	private DashboardQueries() {
	}

	static Path directory() {
		return ServiceProcess.root().resolve("infra/grafana/dashboards");
	}

	/**
	 * Every query of every dashboard, with {@code $deployment} as "All" ({@code .*}) and
	 * {@code $__rate_interval} as {@code rateInterval}.
	 */
	static List<Query> all(String rateInterval) throws IOException {
		List<Query> queries = new ArrayList<>();
		try (Stream<Path> files = Files.list(directory())) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".json")).sorted().toList()) {
				JsonNode dashboard = JSON.readTree(file.toFile());
				String title = dashboard.path("title").asText(file.getFileName().toString());
				for (JsonNode variable : dashboard.path("templating").path("list")) {
					if (variable.path("type").asText().equals("query")) {
						String grafana = variable.path("query").path("query").asText(variable.path("query").asText());
						queries.add(new Query(title + " / variable " + variable.path("name").asText(), grafana,
								variableQuery(grafana)));
					}
				}
				addPanels(title, dashboard.path("panels"), rateInterval, queries);
			}
		}
		return queries;
	}

	private static void addPanels(String dashboard, JsonNode panels, String rateInterval, List<Query> queries) {
		for (JsonNode panel : panels) {
			addPanels(dashboard, panel.path("panels"), rateInterval, queries);
			for (JsonNode target : panel.path("targets")) {
				String expr = target.path("expr").asText();
				String where = dashboard + " / " + panel.path("title").asText() + " / " + target.path("refId").asText();
				queries.add(new Query(where, expr, substitute(expr, rateInterval)));
			}
		}
	}

	static String substitute(String expr, String rateInterval) {
		String promql = expr.replace("$__rate_interval", rateInterval)
			.replace("${deployment:regex}", ".*")
			.replace("$deployment", ".*");
		if (promql.contains("$")) {
			throw new IllegalStateException("unknown Grafana variable in " + expr);
		}
		return promql;
	}

	/**
	 * Grafana's {@code label_values(metric, label)} as PromQL: one series per value of
	 * the label.
	 */
	static String variableQuery(String grafana) {
		Matcher matcher = LABEL_VALUES.matcher(grafana.trim());
		if (!matcher.matches()) {
			throw new IllegalStateException("unsupported variable query: " + grafana);
		}
		return "count by (%s) (%s)".formatted(matcher.group(2), matcher.group(1));
	}

}
