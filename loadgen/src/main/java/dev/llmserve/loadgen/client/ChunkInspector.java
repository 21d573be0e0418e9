package dev.llmserve.loadgen.client;

import java.nio.charset.StandardCharsets;

/**
 * Classifies an SSE data message by scanning its bytes, without parsing the JSON: the hot
 * path runs once per token on every stream. Only a chunk that carries a {@code usage}
 * object is parsed in full (once per request). A key can be matched by its quoted name
 * because inside JSON strings a quote is always escaped.
 */
final class ChunkInspector {

	private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] CHOICES = "\"choices\"".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] ERROR = "\"error\"".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] OBJECT_ERROR = "\"object\":\"error\"".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] USAGE = "\"usage\"".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] ROLE = "\"role\"".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] EMPTY_CONTENT = "\"content\":\"\"".getBytes(StandardCharsets.US_ASCII);

	private ChunkInspector() {
	}

	static ChunkKind kind(byte[] data, int length) {
		int start = skipSpace(data, 0, length);
		if (startsWith(data, start, length, DONE)) {
			return ChunkKind.DONE;
		}
		int choices = indexOf(data, length, CHOICES, start);
		if (choices >= 0) {
			int value = valueStart(data, choices + CHOICES.length, length);
			if (value >= 0 && data[value] == '[') {
				int next = skipSpace(data, value + 1, length);
				return (next < length && data[next] != ']') ? ChunkKind.CHOICES : ChunkKind.NO_CHOICES;
			}
		}
		if (isFirstKey(data, start, length, ERROR) || indexOf(data, length, OBJECT_ERROR, start) >= 0) {
			return ChunkKind.ERROR;
		}
		return ChunkKind.NO_CHOICES;
	}

	/** Whether the chunk carries a {@code usage} object (not {@code null}). */
	static boolean hasUsage(byte[] data, int length) {
		int usage = indexOf(data, length, USAGE, 0);
		if (usage < 0) {
			return false;
		}
		int value = valueStart(data, usage + USAGE.length, length);
		return value >= 0 && data[value] == '{';
	}

	/**
	 * Whether a choice chunk is vLLM's role announcement (role, empty content), not a
	 * token.
	 */
	static boolean isRoleOnly(byte[] data, int length) {
		return indexOf(data, length, ROLE, 0) >= 0 && indexOf(data, length, EMPTY_CONTENT, 0) >= 0;
	}

	private static boolean isFirstKey(byte[] data, int start, int length, byte[] key) {
		if (start >= length || data[start] != '{') {
			return false;
		}
		return startsWith(data, skipSpace(data, start + 1, length), length, key);
	}

	private static int valueStart(byte[] data, int from, int length) {
		int colon = skipSpace(data, from, length);
		if (colon >= length || data[colon] != ':') {
			return -1;
		}
		int value = skipSpace(data, colon + 1, length);
		return (value < length) ? value : -1;
	}

	private static int skipSpace(byte[] data, int from, int length) {
		int i = from;
		while (i < length && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r')) {
			i++;
		}
		return i;
	}

	private static boolean startsWith(byte[] data, int from, int length, byte[] prefix) {
		if (length - from < prefix.length) {
			return false;
		}
		for (int i = 0; i < prefix.length; i++) {
			if (data[from + i] != prefix[i]) {
				return false;
			}
		}
		return true;
	}

	static int indexOf(byte[] data, int length, byte[] pattern, int from) {
		for (int i = from; i <= length - pattern.length; i++) {
			if (startsWith(data, i, length, pattern)) {
				return i;
			}
		}
		return -1;
	}

}
