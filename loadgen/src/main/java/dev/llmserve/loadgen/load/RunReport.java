package dev.llmserve.loadgen.load;

import java.time.Instant;
import java.util.List;

import dev.llmserve.loadgen.metrics.ResultAggregator;
import dev.llmserve.loadgen.metrics.TimelineRow;

/**
 * Everything a finished run measured.
 *
 * @param startedAt wall-clock start
 * @param durationSeconds from the end of the warm-up (the start, without one) to the end
 * of the run, drain included: the denominator of every throughput, as in
 * {@code vllm bench serve}
 * @param warmupSeconds the warm-up, whose timeline rows count in no throughput
 * @param totals the aggregated requests
 * @param timeline one row per second
 * @param peakInFlight the most requests in flight at once
 * @param clientCpuSeconds CPU time the load generator's process has used, JVM start
 * included, so that benchmarks can tell its share of the machine
 */
public record RunReport(Instant startedAt, double durationSeconds, double warmupSeconds, ResultAggregator.Totals totals,
		List<TimelineRow> timeline, int peakInFlight, double clientCpuSeconds) {

	public RunReport {
		timeline = List.copyOf(timeline);
	}

	/** The highest output tokens received in one second. */
	public long peakOutputTokensPerSecond() {
		return this.timeline.stream().mapToLong(TimelineRow::outputTokens).max().orElse(0);
	}

	/**
	 * Every output token received (cancelled and failed requests included) over the
	 * duration.
	 */
	public double streamedTokensPerSecond() {
		long tokens = this.timeline.stream().mapToLong(TimelineRow::outputTokens).sum();
		return (this.durationSeconds > 0) ? tokens / this.durationSeconds : 0;
	}

}
