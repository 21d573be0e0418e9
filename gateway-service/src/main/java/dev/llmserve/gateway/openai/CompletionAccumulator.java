package dev.llmserve.gateway.openai;

import dev.llmserve.proto.GenerateChunk;

/**
 * Folds chunks into a {@link Completion}: the text (if kept), the finish and stop reasons
 * of the final chunk, and its usage (or, without one, the sum of the chunks' token
 * counts). Used by one subscriber at a time.
 */
final class CompletionAccumulator {

	private final StringBuilder text;

	private String finishReason;

	private String stopReason;

	private int countedTokens;

	private int promptTokens;

	private int completionTokens = -1;

	private CompletionAccumulator(boolean keepText) {
		this.text = keepText ? new StringBuilder() : null;
	}

	/** Keeps the generated text, for a non-streamed answer. */
	static CompletionAccumulator withText() {
		return new CompletionAccumulator(true);
	}

	/** Keeps only reasons and usage, for a streamed answer. */
	static CompletionAccumulator usageOnly() {
		return new CompletionAccumulator(false);
	}

	void add(GenerateChunk chunk) {
		if (this.text != null) {
			this.text.append(chunk.getText());
		}
		this.countedTokens += chunk.getTokenCount();
		if (!chunk.getFinishReason().isEmpty()) {
			this.finishReason = chunk.getFinishReason();
			this.stopReason = chunk.getStopReason().isEmpty() ? null : chunk.getStopReason();
		}
		if (chunk.hasUsage()) {
			this.promptTokens = chunk.getUsage().getPromptTokens();
			this.completionTokens = chunk.getUsage().getCompletionTokens();
		}
	}

	Completion build() {
		String generated = (this.text != null) ? this.text.toString() : "";
		int completion = (this.completionTokens >= 0) ? this.completionTokens : this.countedTokens;
		return new Completion(generated, this.finishReason, this.stopReason, this.promptTokens, completion);
	}

}
