package dev.llmserve.replica.bridge;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmserve.proto.GenerateChunk;
import dev.llmserve.proto.Usage;
import io.grpc.Status;

/**
 * Turns the data of the engine's stream events (OpenAI completion or chat chunks) into
 * {@link GenerateChunk}s: one per chunk that carries text, and a final one that carries
 * the finish reason and the usage. The engine sends the last token and the finish reason
 * together, then the usage in a chunk of its own, then {@code [DONE]}; so the finishing
 * chunk is held until {@code [DONE]} and leaves with the usage. One per stream.
 */
final class ChunkAssembler {

	static final String DONE = "[DONE]";

	private final ObjectMapper json;

	private GenerateChunk.Builder finishing;

	private Usage usage;

	private boolean done;

	ChunkAssembler(ObjectMapper json) {
		this.json = json;
	}

	/**
	 * Accepts one event's data; returns the chunks it completes (usually zero or one).
	 */
	List<GenerateChunk> accept(String data) {
		if (this.done) {
			return List.of();
		}
		if (DONE.equals(data.strip())) {
			return finish();
		}
		JsonNode chunk = parse(data);
		if (chunk.hasNonNull("error")) {
			throw EngineErrors.inStream(chunk.get("error"));
		}
		readUsage(chunk.path("usage"));
		List<GenerateChunk> chunks = new ArrayList<>(1);
		for (JsonNode choice : chunk.path("choices")) {
			acceptChoice(choice, chunks);
		}
		return chunks;
	}

	/**
	 * The engine's response ended. Without {@code [DONE]} a finished generation still
	 * gets its final chunk; an unfinished one failed, and the caller may retry elsewhere.
	 */
	List<GenerateChunk> complete() {
		if (this.done) {
			return List.of();
		}
		if (this.finishing == null) {
			throw Status.UNAVAILABLE.withDescription("the engine closed the stream before it finished")
				.asRuntimeException();
		}
		return finish();
	}

	private void acceptChoice(JsonNode choice, List<GenerateChunk> chunks) {
		String text = text(choice);
		GenerateChunk.Builder chunk = GenerateChunk.newBuilder().setText(text).setTokenCount(text.isEmpty() ? 0 : 1);
		JsonNode finishReason = choice.get("finish_reason");
		if (finishReason != null && !finishReason.isNull()) {
			chunk.setFinishReason(finishReason.asText());
			JsonNode stopReason = choice.get("stop_reason");
			if (stopReason != null && !stopReason.isNull()) {
				chunk.setStopReason(stopReason.asText());
			}
			this.finishing = chunk;
		}
		else if (!text.isEmpty()) {
			chunks.add(chunk.build());
		}
	}

	/** A completion choice has {@code text}; a chat choice has {@code delta.content}. */
	private static String text(JsonNode choice) {
		JsonNode text = choice.has("delta") ? choice.path("delta").path("content") : choice.path("text");
		return text.isTextual() ? text.asText() : "";
	}

	private void readUsage(JsonNode usage) {
		if (usage.isObject()) {
			this.usage = Usage.newBuilder()
				.setPromptTokens(usage.path("prompt_tokens").asInt())
				.setCompletionTokens(usage.path("completion_tokens").asInt())
				.build();
		}
	}

	private List<GenerateChunk> finish() {
		this.done = true;
		if (this.finishing == null) {
			throw Status.INTERNAL.withDescription("the engine ended the stream without a finish reason")
				.asRuntimeException();
		}
		if (this.usage != null) {
			this.finishing.setUsage(this.usage);
		}
		return List.of(this.finishing.build());
	}

	private JsonNode parse(String data) {
		try {
			return this.json.readTree(data);
		}
		catch (JsonProcessingException ex) {
			throw Status.INTERNAL.withDescription("unreadable chunk from the engine: " + ex.getOriginalMessage())
				.asRuntimeException();
		}
	}

}
