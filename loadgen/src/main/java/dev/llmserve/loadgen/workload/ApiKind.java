package dev.llmserve.loadgen.workload;

import java.util.Locale;

/** Which endpoint the load goes to, and how its answer is framed. */
public enum ApiKind {

	/** {@code POST /v1/chat/completions}, streamed as SSE. */
	CHAT,

	/** {@code POST /v1/completions}, streamed as SSE. */
	COMPLETIONS,

	/** {@code POST /v1/chat/{deployment}}: text in, chunked text out. */
	PLAIN;

	/** The request path for a model (the deployment, for {@link #PLAIN}). */
	public String path(String model) {
		return switch (this) {
			case CHAT -> "/v1/chat/completions";
			case COMPLETIONS -> "/v1/completions";
			case PLAIN -> "/v1/chat/" + model;
		};
	}

	/** Whether the answer is an SSE stream of JSON chunks. */
	public boolean isEventStream() {
		return this != PLAIN;
	}

	public static ApiKind parse(String value) {
		try {
			return valueOf(value.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("api: %s (expected: chat, completions or plain)".formatted(value));
		}
	}

}
