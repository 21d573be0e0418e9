package dev.llmserve.loadgen.client;

/** Reads one response body as it arrives and records what the metrics need. */
interface ResponseBodyParser {

	/** {@code length} bytes arrived at {@code nanos}. */
	void onBytes(byte[] bytes, int length, long nanos);

	/** The body ended cleanly at the transport level; returns how the request ended. */
	Outcome onEnd();

	/** Arrival times of the chunks that time tokens. */
	long[] chunkNanos();

	/** Output tokens as the server reported them, else as counted here. */
	int outputTokens();

	/** The error event's text, if there was one. */
	String errorDetail();

	static ResponseBodyParser forEventStream(long startNanos, StreamListener listener) {
		return new EventStreamParser(startNanos, listener);
	}

	static ResponseBodyParser forPlainText(long startNanos, StreamListener listener) {
		return new PlainTextParser(startNanos, listener);
	}

}
