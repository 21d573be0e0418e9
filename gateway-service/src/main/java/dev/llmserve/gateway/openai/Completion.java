package dev.llmserve.gateway.openai;

/**
 * A whole generation, aggregated from its chunks.
 *
 * @param text the generated text (empty when not kept)
 * @param finishReason stop, length, abort or repetition
 * @param stopReason the stop string that ended it, or {@code null}
 * @param promptTokens tokens in the prompt
 * @param completionTokens tokens generated
 */
record Completion(String text, String finishReason, String stopReason, int promptTokens, int completionTokens) {

	int totalTokens() {
		return this.promptTokens + this.completionTokens;
	}

}
