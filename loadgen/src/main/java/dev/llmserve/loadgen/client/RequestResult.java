package dev.llmserve.loadgen.client;

/**
 * What one request did, as raw timestamps: the metrics are computed from it, the way
 * {@code vllm bench serve} computes them from its {@code RequestFuncOutput}.
 *
 * @param outcome how it ended
 * @param httpStatus the response status, or 0 if there was none
 * @param detail the error, for failures (null otherwise)
 * @param startNanos {@link System#nanoTime()} just before the request was sent
 * @param chunkNanos arrival times of the chunks that carry choices (for the plain
 * endpoint: of every non-empty body read)
 * @param outputTokens {@code usage.completion_tokens}, or the client's own count if the
 * server sent no usage
 * @param inputTokens the prompt's length as the client built it
 * @param target the index of the target that served it
 */
public record RequestResult(Outcome outcome, int httpStatus, String detail, long startNanos, long[] chunkNanos,
		int outputTokens, int inputTokens, int target) {

	public boolean isSuccess() {
		return this.outcome == Outcome.SUCCESS;
	}

}
