package dev.llmserve.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.llmserve.loadgen.cli.HelpText;
import dev.llmserve.loadgen.cli.LoadgenOptions;
import dev.llmserve.loadgen.cli.OptionsParser;
import dev.llmserve.loadgen.load.LoadRun;
import dev.llmserve.loadgen.load.RunReport;
import dev.llmserve.loadgen.report.ConsoleSummary;
import dev.llmserve.loadgen.report.ProgressPrinter;
import dev.llmserve.loadgen.report.ReportFiles;
import dev.llmserve.loadgen.report.SummaryDocument;

/**
 * The load generator's command line: parse, run, print the summary, write the reports.
 */
public final class LoadgenApplication {

	private static final long REPORT_GRACE_SECONDS = 30;

	private LoadgenApplication() {
	}

	public static void main(String[] args) throws InterruptedException, IOException {
		System.exit(run(args, System.out, System.err));
	}

	/** On SIGTERM or Ctrl-C: end the run early, but still print and write its report. */
	private static void stopAndAwaitReport(LoadRun run, CountDownLatch reported) {
		run.requestStop();
		try {
			reported.await(REPORT_GRACE_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException, IOException {
		LoadgenOptions options;
		try {
			options = OptionsParser.parse(args);
		}
		catch (IllegalArgumentException ex) {
			err.println("loadgen: " + ex.getMessage());
			return 2;
		}
		if (options.help()) {
			out.print(HelpText.render());
			return 0;
		}
		out.printf("loadgen: %s against %s, api %s, %.1f s (+%.1f s warm-up)%n", options.shape().describe(),
				options.client().targets(), options.workload().api().name().toLowerCase(java.util.Locale.ROOT),
				options.limits().duration().toMillis() / 1000.0, options.limits().warmup().toMillis() / 1000.0);
		LoadRun run = new LoadRun(options.client(), options.workload(), options.shape(), options.limits(),
				options.slo());
		CountDownLatch reported = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndAwaitReport(run, reported), "loadgen-stop"));
		try {
			RunReport report = run.run(options.quiet() ? (row) -> {
			} : new ProgressPrinter(out));
			out.print(ConsoleSummary.render(options.label(), report));
			if (options.out() != null) {
				Map<String, Object> summary = SummaryDocument.of(options, report);
				ReportFiles.write(options.out(), summary, report.timeline());
				out.println("loadgen: wrote summary.json, timeline.csv and report.html to " + options.out());
			}
		}
		finally {
			reported.countDown();
		}
		return 0;
	}

}
