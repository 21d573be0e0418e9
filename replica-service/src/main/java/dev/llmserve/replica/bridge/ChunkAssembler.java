package dev.llmserve.replica.bridge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
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

	private final ChunkReader reader;

	private GenerateChunk.Builder finishing;

	private Usage usage;

	private boolean done;

	ChunkAssembler(ObjectMapper json) {
		this.json = json;
		this.reader = new ChunkReader(json.getFactory());
	}

	/**
	 * Accepts one event's data; returns the chunks it completes (usually zero or one).
	 */
	List<GenerateChunk> accept(String data) {
		if (this.done) {
			return List.of();
		}
		if (data.length() <= DONE.length() + 2 && DONE.equals(data.strip())) {
			return finish();
		}
		ChunkReader.Chunk chunk = read(data);
		if (chunk.usage() != null) {
			this.usage = Usage.newBuilder()
				.setPromptTokens(chunk.usage()[0])
				.setCompletionTokens(chunk.usage()[1])
				.build();
		}
		List<GenerateChunk> chunks = new ArrayList<>(1);
		for (ChunkReader.Choice choice : chunk.choices()) {
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

	private void acceptChoice(ChunkReader.Choice choice, List<GenerateChunk> chunks) {
		String text = choice.text();
		GenerateChunk.Builder chunk = GenerateChunk.newBuilder().setText(text).setTokenCount(text.isEmpty() ? 0 : 1);
		if (choice.finishReason() != null) {
			chunk.setFinishReason(choice.finishReason());
			if (choice.stopReason() != null) {
				chunk.setStopReason(choice.stopReason());
			}
			this.finishing = chunk;
		}
		else if (!text.isEmpty()) {
			chunks.add(chunk.build());
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

	/**
	 * The chunk, read field by field; one with an error is read whole, for its message.
	 */
	private ChunkReader.Chunk read(String data) {
		try {
			ChunkReader.Chunk chunk = this.reader.read(data);
			if (chunk == null) {
				throw EngineErrors.inStream(this.json.readTree(data).get("error"));
			}
			return chunk;
		}
		catch (IOException ex) {
			String message = (ex instanceof JsonProcessingException json) ? json.getOriginalMessage() : ex.getMessage();
			throw Status.INTERNAL.withDescription("unreadable chunk from the engine: " + message).asRuntimeException();
		}
	}

}
