package dev.llmserve.loadgen.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

import dev.llmserve.loadgen.metrics.TimelineRow;

/**
 * The line printed every second, so that a long run shows it is alive and how it is
 * doing.
 */
public final class ProgressPrinter implements Consumer<TimelineRow> {

	private final PrintStream out;

	private long failed;

	public ProgressPrinter(PrintStream out) {
		this.out = out;
	}

	@Override
	public void accept(TimelineRow row) {
		this.failed += row.failed();
		this.out.println(format(row, this.failed));
	}

	static String format(TimelineRow row, long failedTotal) {
		String ttft = Double.isNaN(row.ttftP95()) ? "-" : String.format(Locale.ROOT, "%.1f ms", row.ttftP95());
		return String.format(Locale.ROOT,
				"[%5ds] users %5d | in flight %5d | %7.1f req/s | %8d tok/s | TTFT p95 %10s | errors %d (+%d)",
				row.second(), row.activeUsers(), row.inFlight(), (double) row.succeeded(), row.outputTokens(), ttft,
				failedTotal, row.failed());
	}

}
