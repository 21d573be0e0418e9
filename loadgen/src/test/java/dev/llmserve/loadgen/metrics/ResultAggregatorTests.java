package dev.llmserve.loadgen.metrics;

import dev.llmserve.loadgen.client.Outcome;
import dev.llmserve.loadgen.client.RequestResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ResultAggregatorTests {

	@Test
	void goodputCountsRequestsWithinEverySloInclusive() {
		ResultAggregator aggregator = new ResultAggregator(Slo.parse("ttft:50,tpot:20"));
		aggregator.record(RequestMetricsTests.result(0, 3, 50, 70, 90)); // ttft 50 = SLO,
																			// tpot 20 =
																			// SLO: good
		aggregator.record(RequestMetricsTests.result(0, 3, 51, 60, 70)); // ttft over
		aggregator.record(RequestMetricsTests.result(0, 3, 10, 40, 60)); // tpot 25: over
		aggregator.record(RequestMetricsTests.result(0, 1, 20)); // one token: tpot counts
																	// as 0

		assertThat(aggregator.totals().goodRequests()).isEqualTo(2);
	}

	@Test
	void withoutSloGoodputIsNotReported() {
		ResultAggregator aggregator = new ResultAggregator(Slo.NONE);
		aggregator.record(RequestMetricsTests.result(0, 3, 50, 70, 90));

		assertThat(aggregator.totals().goodRequests()).isEqualTo(-1);
	}

	@Test
	void latencyStatisticsCoverOnlySuccessfulRequestsAndTpotOnlyThoseWithTwoTokensOrMore() {
		ResultAggregator aggregator = new ResultAggregator(Slo.NONE);
		aggregator.record(RequestMetricsTests.result(0, 3, 40, 60, 80));
		aggregator.record(RequestMetricsTests.result(0, 1, 20));
		aggregator.record(new RequestResult(Outcome.HTTP_STATUS, 503, "busy", 0, new long[0], 0, 100, 0));

		ResultAggregator.Totals totals = aggregator.totals();
		assertThat(totals.ttft().count()).isEqualTo(2);
		assertThat(totals.tpot().count()).isEqualTo(1);
		assertThat(totals.itl().count()).isEqualTo(2);
		assertThat(totals.ttft().mean()).isCloseTo(30.0, within(0.05));
		assertThat(totals.outputTokens()).isEqualTo(4);
		assertThat(totals.inputTokens()).isEqualTo(200);
	}

	@Test
	void failuresAreCountedByOutcomeAndStatusWithTheFirstDetail() {
		ResultAggregator aggregator = new ResultAggregator(Slo.NONE);
		aggregator.record(new RequestResult(Outcome.HTTP_STATUS, 503, "first", 0, new long[0], 0, 1, 0));
		aggregator.record(new RequestResult(Outcome.HTTP_STATUS, 429, "second", 0, new long[0], 0, 1, 0));
		aggregator.record(new RequestResult(Outcome.CANCELLED, 0, null, 0, new long[0], 0, 1, 0));

		ResultAggregator.Totals totals = aggregator.totals();
		assertThat(totals.byOutcome()).containsEntry("http_status", 2L).containsEntry("cancelled", 1L);
		assertThat(totals.byHttpStatus()).containsEntry("503", 1L).containsEntry("429", 1L);
		assertThat(totals.failureExamples()).containsEntry("http_status", "first");
		assertThat(totals.failures()).isEqualTo(2);
		assertThat(totals.ttft()).isNull();
	}

}
