package dev.llmserve.gateway;

/**
 * Writes JSON string literals the way vLLM's serializer does: raw UTF-8 for non-ASCII,
 * short escapes for the usual controls and a six-character escape with lower-case hex for
 * the others.
 */
public final class JsonStrings {

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private JsonStrings() {
	}

	/** Appends {@code value} as a quoted JSON string, or {@code null} for null. */
	public static StringBuilder appendQuoted(StringBuilder out, String value) {
		if (value == null) {
			return out.append("null");
		}
		out.append('"');
		int start = 0;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\' || c < 0x20) {
				out.append(value, start, i);
				appendEscape(out, c);
				start = i + 1;
			}
		}
		return out.append(value, start, value.length()).append('"');
	}

	/** The quoted JSON string for {@code value}. */
	public static String quote(String value) {
		return appendQuoted(new StringBuilder(value.length() + 8), value).toString();
	}

	private static void appendEscape(StringBuilder out, char c) {
		switch (c) {
			case '"' -> out.append("\\\"");
			case '\\' -> out.append("\\\\");
			case '\n' -> out.append("\\n");
			case '\r' -> out.append("\\r");
			case '\t' -> out.append("\\t");
			case '\b' -> out.append("\\b");
			case '\f' -> out.append("\\f");
			default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
		}
	}

}
