package dev.llmserve.replica.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads samples out of the Prometheus text exposition format (what vLLM's
 * {@code /metrics} serves). Just enough of the format for gauges: names, labels with
 * quoted and escaped values, values including {@code NaN} and {@code ±Inf}; comments and
 * timestamps are skipped, and malformed lines are ignored rather than failing the whole
 * scrape.
 */
final class PrometheusText {

	/** One sample: a metric name, its labels, its value. */
	record Sample(String name, Map<String, String> labels, double value) {

		Sample {
			labels = Map.copyOf(labels);
		}

	}

	private PrometheusText() {
	}

	/** The samples whose metric name {@code wanted} accepts, in order. */
	static List<Sample> parse(String text, Predicate<String> wanted) {
		List<Sample> samples = new ArrayList<>();
		for (String line : text.split("\n")) {
			String trimmed = line.strip();
			if (trimmed.isEmpty() || trimmed.startsWith("#")) {
				continue;
			}
			Sample sample = parseLine(trimmed, wanted);
			if (sample != null) {
				samples.add(sample);
			}
		}
		return samples;
	}

	private static Sample parseLine(String line, Predicate<String> wanted) {
		int nameEnd = 0;
		while (nameEnd < line.length() && line.charAt(nameEnd) != '{'
				&& !Character.isWhitespace(line.charAt(nameEnd))) {
			nameEnd++;
		}
		String name = line.substring(0, nameEnd);
		if (!wanted.test(name)) {
			return null;
		}
		Map<String, String> labels = new LinkedHashMap<>();
		int rest = nameEnd;
		if (rest < line.length() && line.charAt(rest) == '{') {
			rest = parseLabels(line, rest + 1, labels);
			if (rest < 0) {
				return null;
			}
		}
		String[] fields = line.substring(rest).strip().split("\\s+");
		Double value = parseValue(fields[0]);
		return (value != null) ? new Sample(name, labels, value) : null;
	}

	/** Parses {@code name="value",…}; returns the index after '}' or -1 if malformed. */
	private static int parseLabels(String line, int start, Map<String, String> labels) {
		int i = start;
		while (i < line.length()) {
			char c = line.charAt(i);
			if (c == '}') {
				return i + 1;
			}
			if (c == ',' || Character.isWhitespace(c)) {
				i++;
				continue;
			}
			int equals = line.indexOf('=', i);
			if (equals < 0 || equals + 1 >= line.length() || line.charAt(equals + 1) != '"') {
				return -1;
			}
			String label = line.substring(i, equals).strip();
			StringBuilder value = new StringBuilder();
			i = readQuoted(line, equals + 2, value);
			if (i < 0) {
				return -1;
			}
			labels.put(label, value.toString());
		}
		return -1;
	}

	/**
	 * Reads an escaped value up to its closing quote; returns the index after it or -1.
	 */
	private static int readQuoted(String line, int start, StringBuilder value) {
		for (int i = start; i < line.length(); i++) {
			char c = line.charAt(i);
			if (c == '"') {
				return i + 1;
			}
			if (c == '\\' && i + 1 < line.length()) {
				char next = line.charAt(++i);
				value.append((next == 'n') ? '\n' : next);
			}
			else {
				value.append(c);
			}
		}
		return -1;
	}

	private static Double parseValue(String text) {
		switch (text) {
			case "+Inf", "Inf":
				return Double.POSITIVE_INFINITY;
			case "-Inf":
				return Double.NEGATIVE_INFINITY;
			case "NaN":
				return Double.NaN;
			default:
				try {
					return Double.parseDouble(text);
				}
				catch (NumberFormatException ex) {
					return null;
				}
		}
	}

}
