package dev.llmserve.replica.load;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextTests {

	private static final String VLLM = """
			# HELP vllm:num_requests_running Number of requests in model execution batches.
			# TYPE vllm:num_requests_running gauge
			vllm:num_requests_running{engine="0",model_name="tinyllama"} 3.0
			# HELP vllm:num_requests_waiting Number of requests waiting to be processed.
			# TYPE vllm:num_requests_waiting gauge
			vllm:num_requests_waiting{engine="0",model_name="tinyllama"} 7.0
			# TYPE vllm:kv_cache_usage_perc gauge
			vllm:kv_cache_usage_perc{engine="0",model_name="tinyllama"} 0.4375
			vllm:prompt_tokens_total{engine="0",model_name="tinyllama"} 12345.0
			vllm:e2e_request_latency_seconds_bucket{engine="0",le="+Inf",model_name="tinyllama"} 2.0
			""";

	@Test
	void readsTheWantedSamplesWithTheirLabels() {
		List<PrometheusText.Sample> samples = PrometheusText.parse(VLLM, EngineLoad::isWanted);

		assertThat(samples).extracting(PrometheusText.Sample::name)
			.containsExactly("vllm:num_requests_running", "vllm:num_requests_waiting", "vllm:kv_cache_usage_perc");
		assertThat(samples.get(0).labels()).containsEntry("engine", "0").containsEntry("model_name", "tinyllama");
		assertThat(samples).extracting(PrometheusText.Sample::value).containsExactly(3.0, 7.0, 0.4375);
	}

	@Test
	void readsSamplesWithoutLabelsWithTimestampsAndSpecialValues() {
		List<PrometheusText.Sample> samples = PrometheusText.parse("""
				up 1 1700000000000
				nan_metric NaN
				inf_metric{a="b"} +Inf
				""", (name) -> true);

		assertThat(samples).extracting(PrometheusText.Sample::value)
			.containsExactly(1.0, Double.NaN, Double.POSITIVE_INFINITY);
		assertThat(samples.get(0).labels()).isEmpty();
	}

	@Test
	void readsEscapedLabelValuesContainingCommasBracesAndQuotes() {
		List<PrometheusText.Sample> samples = PrometheusText
			.parse("m{path=\"a,b}\",quote=\"say \\\"hi\\\"\",nl=\"x\\ny\"} 2\n", (name) -> true);

		assertThat(samples).singleElement().satisfies((sample) -> {
			assertThat(sample.labels()).containsEntry("path", "a,b}")
				.containsEntry("quote", "say \"hi\"")
				.containsEntry("nl", "x\ny");
			assertThat(sample.value()).isEqualTo(2.0);
		});
	}

	@Test
	void skipsMalformedLinesInsteadOfFailing() {
		List<PrometheusText.Sample> samples = PrometheusText.parse("""
				broken{a="b 1
				novalue
				bad_value abc
				good 4
				""", (name) -> true);

		assertThat(samples).extracting(PrometheusText.Sample::name).containsExactly("good");
	}

	@Test
	void sumsRunningAndWaitingOverEnginesAndTakesTheFullestKvCache() {
		String text = """
				vllm:num_requests_running{engine="0",model_name="m"} 2
				vllm:num_requests_running{engine="1",model_name="m"} 3
				vllm:num_requests_waiting{engine="0",model_name="m"} 1
				vllm:kv_cache_usage_perc{engine="0",model_name="m"} 0.25
				vllm:kv_cache_usage_perc{engine="1",model_name="m"} 0.75
				""";

		EngineLoad load = EngineLoad.from(PrometheusText.parse(text, EngineLoad::isWanted), 1234L);

		assertThat(load).isEqualTo(new EngineLoad(5, 1, 0.75, 1234L));
	}

	@Test
	void readsTheKvCacheUnderItsPreVllm010Name() {
		EngineLoad load = EngineLoad
			.from(PrometheusText.parse("vllm:gpu_cache_usage_perc{engine=\"0\"} 0.5\n", EngineLoad::isWanted), 1L);

		assertThat(load.kvCacheUsage()).isEqualTo(0.5);
	}

}
