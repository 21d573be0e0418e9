package dev.llmserve.loadgen.metrics;

/**
 * One second of a run. Latency percentiles are in milliseconds, NaN when nothing was
 * measured in that second: TTFT of the first chunks that arrived in it, E2EL of the
 * requests that succeeded in it.
 *
 * @param second seconds since the start (the row covers the second before it)
 * @param activeUsers closed-loop users running
 * @param inFlight requests in flight at the end of the second
 * @param started requests sent
 * @param succeeded requests that succeeded
 * @param failed requests that failed
 * @param outputTokens output tokens received
 * @param ttftP50 median TTFT
 * @param ttftP95 95th percentile TTFT
 * @param ttftP99 99th percentile TTFT
 * @param e2elP50 median E2EL
 * @param e2elP95 95th percentile E2EL
 * @param e2elP99 99th percentile E2EL
 */
public record TimelineRow(int second, int activeUsers, int inFlight, long started, long succeeded, long failed,
		long outputTokens, double ttftP50, double ttftP95, double ttftP99, double e2elP50, double e2elP95,
		double e2elP99) {

	/** The CSV header matching {@link #toCsv()}. */
	public static final String CSV_HEADER = "second,active_users,in_flight,started,succeeded,failed,output_tokens,"
			+ "ttft_p50_ms,ttft_p95_ms,ttft_p99_ms,e2el_p50_ms,e2el_p95_ms,e2el_p99_ms";

	public String toCsv() {
		return String.join(",", Integer.toString(this.second), Integer.toString(this.activeUsers),
				Integer.toString(this.inFlight), Long.toString(this.started), Long.toString(this.succeeded),
				Long.toString(this.failed), Long.toString(this.outputTokens), ms(this.ttftP50), ms(this.ttftP95),
				ms(this.ttftP99), ms(this.e2elP50), ms(this.e2elP95), ms(this.e2elP99));
	}

	private static String ms(double value) {
		return Double.isNaN(value) ? "" : String.format(java.util.Locale.ROOT, "%.3f", value);
	}

}
