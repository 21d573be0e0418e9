package dev.llmserve.loadgen.metrics;

import dev.llmserve.loadgen.client.RequestResult;

/**
 * The per-request metrics of {@code vllm bench serve}, in nanoseconds.
 *
 * <ul>
 * <li>TTFT: the first chunk with choices, from just before the request was sent;</li>
 * <li>ITL: the gaps between successive chunks with choices;</li>
 * <li>E2EL: the last chunk with choices, from the same start (the usage chunk does not
 * count);</li>
 * <li>TPOT: {@code (E2EL − TTFT) / (output_tokens − 1)}, only when more than one token
 * came out ({@link #hasTpot()}); goodput counts it as 0 otherwise.</li>
 * </ul>
 *
 * @param ttftNanos time to first token
 * @param e2elNanos end-to-end latency
 * @param tpotNanos time per output token after the first (0 when output ≤ 1)
 * @param itlNanos inter-token latencies
 * @param outputTokens {@code usage.completion_tokens} (else the client's count)
 */
public record RequestMetrics(long ttftNanos, long e2elNanos, double tpotNanos, long[] itlNanos, int outputTokens) {

	/** The metrics of a successful request (one with at least one chunk). */
	public static RequestMetrics of(RequestResult result) {
		long[] chunks = result.chunkNanos();
		if (chunks.length == 0) {
			throw new IllegalArgumentException("chunks: 0 (expected: a request with at least one chunk)");
		}
		long ttft = chunks[0] - result.startNanos();
		long e2el = chunks[chunks.length - 1] - result.startNanos();
		long[] itl = new long[chunks.length - 1];
		for (int i = 1; i < chunks.length; i++) {
			itl[i - 1] = chunks[i] - chunks[i - 1];
		}
		int output = result.outputTokens();
		double tpot = (output > 1) ? (double) (e2el - ttft) / (output - 1) : 0.0;
		return new RequestMetrics(ttft, e2el, tpot, itl, output);
	}

	/**
	 * Whether TPOT is defined (more than one output token); only then is it in the TPOT
	 * statistics.
	 */
	public boolean hasTpot() {
		return this.outputTokens > 1;
	}

}
