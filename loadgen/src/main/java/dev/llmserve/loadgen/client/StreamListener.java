package dev.llmserve.loadgen.client;

/** Live events of every stream, for the per-second timeline and the progress line. */
public interface StreamListener {

	/**
	 * The first chunk with choices arrived, {@code ttftNanos} after the request was sent.
	 */
	void onFirstChunk(long ttftNanos);

	/** {@code tokens} more output tokens arrived. */
	void onTokens(int tokens);

	/** Ignores every event. */
	StreamListener NONE = new StreamListener() {

		@Override
		public void onFirstChunk(long ttftNanos) {
		}

		@Override
		public void onTokens(int tokens) {
		}

	};

}
