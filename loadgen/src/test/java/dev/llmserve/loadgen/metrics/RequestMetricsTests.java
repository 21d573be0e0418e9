package dev.llmserve.loadgen.metrics;

import dev.llmserve.loadgen.client.Outcome;
import dev.llmserve.loadgen.client.RequestResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RequestMetricsTests {

	private static final long MS = 1_000_000;

	@Test
	void ttftIsTheFirstChoiceChunkAndE2elTheLastMeasuredFromTheSend() {
		// sent at 10 ms; role chunk at 60, tokens at 80, 110, 150 (usage and [DONE] never
		// timed)
		RequestMetrics metrics = RequestMetrics.of(result(10, 3, 60, 80, 110, 150));

		assertThat(metrics.ttftNanos()).isEqualTo(50 * MS);
		assertThat(metrics.e2elNanos()).isEqualTo(140 * MS);
	}

	@Test
	void itlIsEveryGapBetweenSuccessiveChoiceChunksIncludingTheRoleChunk() {
		RequestMetrics metrics = RequestMetrics.of(result(10, 3, 60, 80, 110, 150));

		assertThat(metrics.itlNanos()).containsExactly(20 * MS, 30 * MS, 40 * MS);
	}

	@Test
	void tpotIsLatencyAfterTheFirstTokenOverOutputTokensMinusOne() {
		// vLLM: (latency - ttft) / (output_len - 1) with output_len =
		// usage.completion_tokens
		RequestMetrics metrics = RequestMetrics.of(result(10, 3, 60, 80, 110, 150));

		assertThat(metrics.hasTpot()).isTrue();
		assertThat(metrics.tpotNanos()).isEqualTo((140 - 50) * MS / 2.0);
	}

	@Test
	void tpotUsesTheServersTokenCountNotTheChunkCount() {
		// 2 chunks but usage says 5 tokens (a server that batches tokens into chunks)
		RequestMetrics metrics = RequestMetrics.of(result(0, 5, 100, 500));

		assertThat(metrics.tpotNanos()).isEqualTo(400 * MS / 4.0);
	}

	@Test
	void aSingleTokenHasNoTpotAndCountsAsZeroForGoodput() {
		RequestMetrics metrics = RequestMetrics.of(result(0, 1, 30, 31));

		assertThat(metrics.hasTpot()).isFalse();
		assertThat(metrics.tpotNanos()).isZero();
		assertThat(new Slo(null, 0.001, null).isMetBy(metrics)).isTrue();
	}

	@Test
	void aRequestWithoutChunksHasNoMetrics() {
		assertThatIllegalArgumentException().isThrownBy(() -> RequestMetrics.of(result(0, 0)));
	}

	static RequestResult result(long startMs, int outputTokens, long... chunkMs) {
		long[] chunks = new long[chunkMs.length];
		for (int i = 0; i < chunkMs.length; i++) {
			chunks[i] = chunkMs[i] * MS;
		}
		return new RequestResult(Outcome.SUCCESS, 200, null, startMs * MS, chunks, outputTokens, 100, 0);
	}

}
