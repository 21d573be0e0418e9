package dev.llmserve.replica.load;

import java.util.List;

/**
 * The engine's own cumulative counters as its metrics last said, summed over its series;
 * re-exposed so that one scrape of the replica shows them under its deployment and
 * replica tags. They restart from 0 with the engine (which restarts only with the
 * replica).
 *
 * @param promptTokens prefill tokens processed ({@code vllm:prompt_tokens_total})
 * @param generationTokens tokens generated ({@code vllm:generation_tokens_total})
 * @param preemptions sequences preempted ({@code vllm:num_preemptions_total})
 */
record EngineCounters(double promptTokens, double generationTokens, double preemptions) {

	static final String PROMPT_TOKENS = "vllm:prompt_tokens_total";

	static final String GENERATION_TOKENS = "vllm:generation_tokens_total";

	static final String PREEMPTIONS = "vllm:num_preemptions_total";

	static final EngineCounters ZERO = new EngineCounters(0, 0, 0);

	static boolean isWanted(String metric) {
		return metric.equals(PROMPT_TOKENS) || metric.equals(GENERATION_TOKENS) || metric.equals(PREEMPTIONS);
	}

	static EngineCounters from(List<PrometheusText.Sample> samples) {
		double prompt = 0;
		double generation = 0;
		double preemptions = 0;
		for (PrometheusText.Sample sample : samples) {
			switch (sample.name()) {
				case PROMPT_TOKENS -> prompt += sample.value();
				case GENERATION_TOKENS -> generation += sample.value();
				case PREEMPTIONS -> preemptions += sample.value();
				default -> {
				}
			}
		}
		return new EngineCounters(prompt, generation, preemptions);
	}

}
