package dev.llmserve.gateway;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonStringsTests {

	@Test
	void escapesQuotesBackslashesAndControlCharactersOnly() {
		assertThat(JsonStrings.quote("a\"b\\c/d")).isEqualTo("\"a\\\"b\\\\c/d\"");
		assertThat(JsonStrings.quote("\n\r\t\b\f\u0000\u001f\u007f"))
			.isEqualTo("\"\\n\\r\\t\\b\\f\\u0000\\u001f\u007f\"");
	}

	@Test
	void keepsNonAsciiTextAsIs() {
		assertThat(JsonStrings.quote("naïve 日本 🤖")).isEqualTo("\"naïve 日本 🤖\"");
	}

	@Test
	void writesNullForNull() {
		assertThat(JsonStrings.appendQuoted(new StringBuilder(), null)).hasToString("null");
	}

}
