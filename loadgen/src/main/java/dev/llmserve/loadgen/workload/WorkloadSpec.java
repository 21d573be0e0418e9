package dev.llmserve.loadgen.workload;

/**
 * What each request asks for.
 *
 * @param api the endpoint
 * @param model the model (the deployment, for the plain endpoint)
 * @param inputTokens prompt length in tokens (after the shared prefix, if any)
 * @param maxTokens {@code max_tokens} of each request
 * @param ignoreEos vLLM's {@code ignore_eos}: generate exactly {@code max_tokens}
 * @param prefixGroups number of shared prefixes; 0 for none
 * @param prefixTokens length of each shared prefix in tokens
 * @param seed seed of every random choice (prompts, lengths, prefix groups)
 */
public record WorkloadSpec(ApiKind api, String model, TokenRange inputTokens, TokenRange maxTokens, boolean ignoreEos,
		int prefixGroups, int prefixTokens, long seed) {

	public WorkloadSpec {
		if (model == null || model.isBlank()) {
			throw new IllegalArgumentException("model: '%s' (expected: a model name)".formatted(model));
		}
		if (maxTokens.min() < 1) {
			throw new IllegalArgumentException("max-tokens: %s (expected: >= 1)".formatted(maxTokens));
		}
		if (prefixGroups < 0 || (prefixGroups > 0 && prefixTokens < 1)) {
			throw new IllegalArgumentException(
					"prefix-groups: %d, prefix-tokens: %d (expected: groups >= 0, tokens >= 1)".formatted(prefixGroups,
							prefixTokens));
		}
	}

}
