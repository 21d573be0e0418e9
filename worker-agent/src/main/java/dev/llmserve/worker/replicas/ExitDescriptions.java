package dev.llmserve.worker.replicas;

import java.util.List;

/** Says, for an operator, why a replica process ended and what it printed last. */
final class ExitDescriptions {

	static final int OUTPUT_LINES = 5;

	private static final int MAX_LINE_LENGTH = 200;

	private ExitDescriptions() {
	}

	static String describe(int exitCode, List<String> recentOutput) {
		String description = "exited with code %d (%s)".formatted(exitCode, meaning(exitCode));
		List<String> last = recentOutput.subList(Math.max(0, recentOutput.size() - OUTPUT_LINES), recentOutput.size());
		if (last.isEmpty()) {
			return description;
		}
		return description + "; last output: " + String.join(" | ", last.stream().map(ExitDescriptions::clip).toList());
	}

	/** The replica-service's own exit codes, and signals as the JVM reports them. */
	static String meaning(int exitCode) {
		return switch (exitCode) {
			case 0 -> "it stopped by itself";
			case 2 -> "its engine died";
			case 3 -> "its supervisor was gone";
			case 4 -> "its engine failed to start";
			case 130 -> "interrupted: SIGINT";
			case 137 -> "killed: SIGKILL";
			case 143 -> "terminated: SIGTERM";
			default -> (exitCode > 128) ? "killed by signal " + (exitCode - 128) : "it failed";
		};
	}

	private static String clip(String line) {
		String trimmed = line.strip();
		return (trimmed.length() <= MAX_LINE_LENGTH) ? trimmed : trimmed.substring(0, MAX_LINE_LENGTH) + "…";
	}

}
