package dev.llmserve.replica.bridge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads the fields the replica uses from one engine stream chunk with a streaming parser,
 * skipping the rest: one chunk per token makes a tree per chunk the replica's second
 * largest cost. A chunk that carries an {@code error} is reported as such, for the caller
 * to read it whole.
 */
final class ChunkReader {

	private final JsonFactory factory;

	ChunkReader(JsonFactory factory) {
		this.factory = factory;
	}

	/** The chunk's choices and usage; {@code null} when it carries an error. */
	Chunk read(String data) throws IOException {
		try (JsonParser parser = this.factory.createParser(data)) {
			expect(parser.nextToken(), JsonToken.START_OBJECT, parser);
			List<Choice> choices = new ArrayList<>(1);
			int[] usage = null;
			while (parser.nextToken() == JsonToken.FIELD_NAME) {
				String field = parser.currentName();
				JsonToken value = parser.nextToken();
				if (value == JsonToken.VALUE_NULL) {
					continue;
				}
				switch (field) {
					case "choices" -> readChoices(parser, choices);
					case "usage" -> usage = readUsage(parser);
					case "error" -> {
						return null;
					}
					default -> parser.skipChildren();
				}
			}
			return new Chunk(choices, usage);
		}
	}

	private static void readChoices(JsonParser parser, List<Choice> choices) throws IOException {
		if (parser.currentToken() != JsonToken.START_ARRAY) {
			parser.skipChildren();
			return;
		}
		while (parser.nextToken() == JsonToken.START_OBJECT) {
			choices.add(readChoice(parser));
		}
	}

	private static Choice readChoice(JsonParser parser) throws IOException {
		String text = null;
		String content = null;
		boolean delta = false;
		String finishReason = null;
		String stopReason = null;
		while (parser.nextToken() == JsonToken.FIELD_NAME) {
			String field = parser.currentName();
			JsonToken value = parser.nextToken();
			switch (field) {
				case "text" -> text = string(parser, value);
				case "delta" -> {
					delta = true;
					content = readContent(parser);
				}
				case "finish_reason" -> finishReason = scalar(parser, value);
				case "stop_reason" -> stopReason = scalar(parser, value);
				default -> parser.skipChildren();
			}
		}
		String chosen = delta ? content : text;
		return new Choice((chosen != null) ? chosen : "", finishReason, stopReason);
	}

	/** {@code delta.content} when it is a string. */
	private static String readContent(JsonParser parser) throws IOException {
		if (parser.currentToken() != JsonToken.START_OBJECT) {
			parser.skipChildren();
			return null;
		}
		String content = null;
		while (parser.nextToken() == JsonToken.FIELD_NAME) {
			String field = parser.currentName();
			JsonToken value = parser.nextToken();
			String text = string(parser, value);
			if (field.equals("content")) {
				content = text;
			}
		}
		return content;
	}

	private static int[] readUsage(JsonParser parser) throws IOException {
		if (parser.currentToken() != JsonToken.START_OBJECT) {
			parser.skipChildren();
			return null;
		}
		int[] usage = new int[2];
		while (parser.nextToken() == JsonToken.FIELD_NAME) {
			String field = parser.currentName();
			JsonToken value = parser.nextToken();
			if (!value.isScalarValue()) {
				parser.skipChildren();
			}
			else if (field.equals("prompt_tokens")) {
				usage[0] = parser.getValueAsInt();
			}
			else if (field.equals("completion_tokens")) {
				usage[1] = parser.getValueAsInt();
			}
		}
		return usage;
	}

	/** The value if it is a string, else null (skipping an object or array). */
	private static String string(JsonParser parser, JsonToken value) throws IOException {
		if (value == JsonToken.VALUE_STRING) {
			return parser.getText();
		}
		parser.skipChildren();
		return null;
	}

	/** A string or number as text (vLLM's stop_reason may be a token id); else null. */
	private static String scalar(JsonParser parser, JsonToken value) throws IOException {
		if (value == JsonToken.VALUE_NULL) {
			return null;
		}
		if (value.isScalarValue()) {
			return parser.getText();
		}
		parser.skipChildren();
		return null;
	}

	private static void expect(JsonToken actual, JsonToken expected, JsonParser parser) throws IOException {
		if (actual != expected) {
			throw new JsonParseException(parser, "expected " + expected + " at the start of a chunk, got " + actual);
		}
	}

	/** What a chunk says: its choices, and its usage ({prompt, completion}) or null. */
	record Chunk(List<Choice> choices, int[] usage) {
	}

	record Choice(String text, String finishReason, String stopReason) {
	}

}
