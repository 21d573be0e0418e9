package dev.llmserve.loadgen.client;

/** What one SSE data message of an OpenAI stream is, as far as the metrics care. */
enum ChunkKind {

	/** A chunk with a non-empty {@code choices} array: it times a token. */
	CHOICES,

	/** A chunk whose {@code choices} is empty or absent (the usage chunk). */
	NO_CHOICES,

	/** {@code {"error":{…}}} (or vLLM's older flat {@code "object":"error"}). */
	ERROR,

	/** {@code [DONE]}. */
	DONE;

}
