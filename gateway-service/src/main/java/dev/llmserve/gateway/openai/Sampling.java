package dev.llmserve.gateway.openai;

import java.util.List;

import dev.llmserve.proto.SamplingParams;

/**
 * Sampling parameters; {@code null} means "the engine's default".
 *
 * @param maxTokens tokens to generate at most
 * @param temperature 0..2
 * @param topP (0, 1]
 * @param stop stop strings
 * @param seed sampling seed
 * @param ignoreEos keep generating past the end-of-sequence token (vLLM extension)
 */
record Sampling(Integer maxTokens, Double temperature, Double topP, List<String> stop, Long seed, boolean ignoreEos) {

	static final Sampling DEFAULTS = new Sampling(null, null, null, List.of(), null, false);

	Sampling {
		stop = List.copyOf(stop);
	}

	SamplingParams toProto() {
		SamplingParams.Builder params = SamplingParams.newBuilder().addAllStop(this.stop).setIgnoreEos(this.ignoreEos);
		if (this.maxTokens != null) {
			params.setMaxTokens(this.maxTokens);
		}
		if (this.temperature != null) {
			params.setTemperature(this.temperature);
		}
		if (this.topP != null) {
			params.setTopP(this.topP);
		}
		if (this.seed != null) {
			params.setSeed(this.seed);
		}
		return params.build();
	}

}
