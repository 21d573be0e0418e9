package dev.llmserve.loadgen.cli;

import java.util.List;
import java.util.Map;

/**
 * The {@code --help} text, generated from {@link Flags} so that no flag goes
 * undocumented.
 */
public final class HelpText {

	private static final int WIDTH = 100;

	private static final int INDENT = 8;

	private HelpText() {
	}

	public static String render() {
		StringBuilder text = new StringBuilder();
		text.append("llmserve loadgen: streams LLM requests and measures TTFT, TPOT, ITL and E2EL exactly as\n")
			.append("vllm bench serve defines them, plus request/token throughput, goodput and failures.\n\n")
			.append("usage: java -jar loadgen.jar [--url URL | --targets URL,...] [--users N | --rate R] [flags]\n")
			.append("example: java -jar loadgen.jar --url http://127.0.0.1:8000 --model tinyllama --users 100 ")
			.append("--duration 60s --out DIR\n");
		for (Map.Entry<String, List<Flag>> group : Flags.GROUPS.entrySet()) {
			text.append('\n').append(group.getKey()).append(":\n");
			for (Flag flag : group.getValue()) {
				appendFlag(text, flag);
			}
		}
		text.append("\nDurations: 500ms, 90s, 2m, 1h (a bare number is seconds). Latencies are in milliseconds.\n")
			.append("SIGTERM or Ctrl-C ends a run early: in-flight requests are cancelled, the report is still written.\n")
			.append("Exit status: 0 after a run (whatever its failures), 2 on a bad flag.\n");
		return text.toString();
	}

	private static void appendFlag(StringBuilder text, Flag flag) {
		text.append("  --").append(flag.name());
		if (!flag.isSwitch()) {
			text.append(' ').append(flag.value());
		}
		text.append('\n');
		String help = flag.help() + ((flag.defaultValue() != null) ? " [default: " + flag.defaultValue() + "]" : "");
		wrap(text, help);
	}

	private static void wrap(StringBuilder text, String help) {
		StringBuilder line = new StringBuilder();
		for (String word : help.split(" ")) {
			if (line.length() + word.length() + 1 > WIDTH - INDENT && !line.isEmpty()) {
				text.append(" ".repeat(INDENT)).append(line).append('\n');
				line.setLength(0);
			}
			line.append(line.isEmpty() ? "" : " ").append(word);
		}
		text.append(" ".repeat(INDENT)).append(line).append('\n');
	}

}
