package dev.llmserve.loadgen.metrics;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.llmserve.loadgen.client.Outcome;
import dev.llmserve.loadgen.client.RequestResult;
import org.HdrHistogram.Histogram;

/**
 * Aggregates finished requests the way {@code vllm bench serve}'s
 * {@code calculate_metrics} does: TTFT, ITL, E2EL and token totals over successful
 * requests, TPOT over those with more than one output token, goodput against the SLOs.
 * Thread-safe (requests end on every event loop).
 */
public final class ResultAggregator {

	private static final int SIGNIFICANT_DIGITS = 3;

	private final Slo slo;

	private final Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);

	private final Map<Integer, Long> httpStatuses = new TreeMap<>();

	private final Map<Outcome, String> firstFailure = new EnumMap<>(Outcome.class);

	private final Histogram ttft = new Histogram(SIGNIFICANT_DIGITS);

	private final Histogram tpot = new Histogram(SIGNIFICANT_DIGITS);

	private final Histogram itl = new Histogram(SIGNIFICANT_DIGITS);

	private final Histogram e2el = new Histogram(SIGNIFICANT_DIGITS);

	private final Histogram queue = new Histogram(SIGNIFICANT_DIGITS);

	private long inputTokens;

	private long outputTokens;

	private long good;

	public ResultAggregator(Slo slo) {
		this.slo = slo;
	}

	public synchronized void record(RequestResult result) {
		this.outcomes.merge(result.outcome(), 1L, Long::sum);
		if (result.httpStatus() != 0 && result.httpStatus() != 200) {
			this.httpStatuses.merge(result.httpStatus(), 1L, Long::sum);
		}
		if (result.outcome().isFailure() && result.detail() != null) {
			this.firstFailure.putIfAbsent(result.outcome(), result.detail());
		}
		if (result.isSuccess()) {
			recordSuccess(RequestMetrics.of(result), result.inputTokens());
		}
	}

	private void recordSuccess(RequestMetrics metrics, int input) {
		this.ttft.recordValue(metrics.ttftNanos());
		this.e2el.recordValue(metrics.e2elNanos());
		if (metrics.hasTpot()) {
			this.tpot.recordValue(Math.round(metrics.tpotNanos()));
		}
		for (long gap : metrics.itlNanos()) {
			this.itl.recordValue(gap);
		}
		this.inputTokens += input;
		this.outputTokens += metrics.outputTokens();
		if (!this.slo.isEmpty() && this.slo.isMetBy(metrics)) {
			this.good++;
		}
	}

	/** Time a request waited in the client for a concurrency slot (open loop). */
	public synchronized void recordQueueTime(long nanos) {
		this.queue.recordValue(Math.max(0, nanos));
	}

	public synchronized Totals totals() {
		Map<String, Long> byOutcome = new LinkedHashMap<>();
		for (Outcome outcome : Outcome.values()) {
			byOutcome.put(outcome.label(), this.outcomes.getOrDefault(outcome, 0L));
		}
		Map<String, Long> byStatus = new LinkedHashMap<>();
		this.httpStatuses.forEach((status, count) -> byStatus.put(Integer.toString(status), count));
		Map<String, String> examples = new LinkedHashMap<>();
		this.firstFailure.forEach((outcome, detail) -> examples.put(outcome.label(), detail));
		return new Totals(byOutcome, byStatus, examples, this.inputTokens, this.outputTokens,
				this.slo.isEmpty() ? -1 : this.good, Percentiles.of(this.ttft), Percentiles.of(this.tpot),
				Percentiles.of(this.itl), Percentiles.of(this.e2el), Percentiles.of(this.queue));
	}

	/**
	 * Everything aggregated so far.
	 *
	 * @param byOutcome request counts by outcome label
	 * @param byHttpStatus counts of non-200 statuses
	 * @param failureExamples the first failure's detail for each failing outcome
	 * @param inputTokens prompt tokens of successful requests (client-side counts)
	 * @param outputTokens output tokens of successful requests
	 * @param goodRequests successful requests within every SLO, or -1 without SLOs
	 * @param ttft time to first token
	 * @param tpot time per output token
	 * @param itl inter-token latency
	 * @param e2el end-to-end latency
	 * @param queue client-side wait for a concurrency slot
	 */
	public record Totals(Map<String, Long> byOutcome, Map<String, Long> byHttpStatus,
			Map<String, String> failureExamples, long inputTokens, long outputTokens, long goodRequests,
			Percentiles ttft, Percentiles tpot, Percentiles itl, Percentiles e2el, Percentiles queue) {

		public long count(Outcome outcome) {
			return this.byOutcome.getOrDefault(outcome.label(), 0L);
		}

		public long failures() {
			long failures = 0;
			for (Outcome outcome : Outcome.values()) {
				failures += outcome.isFailure() ? count(outcome) : 0;
			}
			return failures;
		}

	}

}
