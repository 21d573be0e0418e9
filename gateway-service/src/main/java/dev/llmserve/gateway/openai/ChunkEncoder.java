package dev.llmserve.gateway.openai;

import dev.llmserve.gateway.JsonStrings;
import dev.llmserve.gateway.error.ApiError;
import dev.llmserve.proto.GenerateChunk;

/**
 * Writes one request's answers byte for byte as vLLM does: compact JSON, vLLM's field
 * order, each server-sent event framed as {@code data: <json>\n\n}. The part every chunk
 * shares is built once per request.
 */
abstract sealed class ChunkEncoder permits ChatChunkEncoder, TextChunkEncoder {

	/** The event that ends every stream. */
	static final String DONE = "data: [DONE]\n\n";

	private final String id;

	private final long created;

	private final String model;

	/**
	 * {@code {"id":…,"object":…,"created":…,"model":…,"choices":[} of a streamed chunk.
	 */
	private final String chunkHead;

	ChunkEncoder(String id, long created, String model, String chunkObject) {
		this.id = id;
		this.created = created;
		this.model = model;
		this.chunkHead = head(chunkObject);
	}

	/**
	 * The events for one chunk; {@code first} when nothing was sent yet. Returns
	 * {@code null} when there is nothing to send (an empty delta before the end).
	 */
	abstract String events(GenerateChunk chunk, boolean first);

	/** The whole answer of a non-streamed request. */
	abstract String completion(Completion completion);

	/** The usage event: {@code choices:[]} and the token counts. */
	final String usageEvent(Completion completion) {
		StringBuilder out = startEvent(64).append("],\"usage\":");
		return appendUsage(out, completion).append("}\n\n").toString();
	}

	/** The in-stream error event, then {@code [DONE]}. */
	static String errorEvents(ApiError error) {
		return "data: " + error.toJson() + "\n\n" + DONE;
	}

	/** A new event, {@code data: } and the chunk head, ready for a choice. */
	final StringBuilder startEvent(int extra) {
		return appendEventStart(new StringBuilder(this.chunkHead.length() + extra + 16));
	}

	/** Appends {@code data: } and the chunk head, ready for a choice. */
	final StringBuilder appendEventStart(StringBuilder out) {
		return out.append("data: ").append(this.chunkHead);
	}

	final String head(String object) {
		StringBuilder head = new StringBuilder(96).append("{\"id\":");
		JsonStrings.appendQuoted(head, this.id).append(",\"object\":\"").append(object).append("\",\"created\":");
		head.append(this.created).append(",\"model\":");
		return JsonStrings.appendQuoted(head, this.model).append(",\"choices\":[").toString();
	}

	static boolean isFinal(GenerateChunk chunk) {
		return !chunk.getFinishReason().isEmpty();
	}

	/** {@code ,"finish_reason":…,"stop_reason":…} as a final choice ends. */
	static StringBuilder appendReasons(StringBuilder out, String finishReason, String stopReason) {
		out.append(",\"finish_reason\":");
		JsonStrings.appendQuoted(out, finishReason).append(",\"stop_reason\":");
		return JsonStrings.appendQuoted(out, stopReason);
	}

	static String stopReason(GenerateChunk chunk) {
		return chunk.getStopReason().isEmpty() ? null : chunk.getStopReason();
	}

	static StringBuilder appendUsage(StringBuilder out, Completion completion) {
		return out.append("{\"prompt_tokens\":")
			.append(completion.promptTokens())
			.append(",\"total_tokens\":")
			.append(completion.totalTokens())
			.append(",\"completion_tokens\":")
			.append(completion.completionTokens())
			.append('}');
	}

}
