package dev.llmserve.loadgen.metrics;

import org.HdrHistogram.Histogram;

/**
 * Distribution statistics of one metric, in milliseconds.
 *
 * @param count values recorded
 * @param mean mean
 * @param stddev standard deviation
 * @param p50 median
 * @param p90 90th percentile
 * @param p95 95th percentile
 * @param p99 99th percentile
 * @param max largest value
 */
public record Percentiles(long count, double mean, double stddev, double p50, double p90, double p95, double p99,
		double max) {

	private static final double NANOS_PER_MS = 1e6;

	/** Statistics of a histogram of nanosecond values; null if it is empty. */
	public static Percentiles of(Histogram nanos) {
		if (nanos.getTotalCount() == 0) {
			return null;
		}
		return new Percentiles(nanos.getTotalCount(), ms(nanos.getMean()), ms(nanos.getStdDeviation()),
				ms(nanos.getValueAtPercentile(50)), ms(nanos.getValueAtPercentile(90)),
				ms(nanos.getValueAtPercentile(95)), ms(nanos.getValueAtPercentile(99)), ms(nanos.getMaxValue()));
	}

	private static double ms(double nanos) {
		return nanos / NANOS_PER_MS;
	}

}
