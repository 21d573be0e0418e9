package dev.llmserve.loadgen.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SseDecoderTests {

	private final List<String> events = new ArrayList<>();

	private final SseDecoder decoder = new SseDecoder(1024,
			(data, length) -> this.events.add(new String(data, 0, length, StandardCharsets.UTF_8)));

	@Test
	void decodesEveryEventWhateverTheSplitPoint() {
		String stream = "data: {\"a\":\"é€\"}\n\ndata: second\n\n: comment\n\ndata: [DONE]\n\n";
		byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
		for (int split = 0; split <= bytes.length; split++) {
			this.events.clear();
			SseDecoder fresh = new SseDecoder(1024,
					(data, length) -> this.events.add(new String(data, 0, length, StandardCharsets.UTF_8)));
			fresh.decode(bytes, 0, split);
			fresh.decode(bytes, split, bytes.length - split);
			assertThat(this.events).as("split at %d", split).containsExactly("{\"a\":\"é€\"}", "second", "[DONE]");
		}
	}

	@Test
	void decodesOneByteAtATime() {
		byte[] bytes = "data: x\r\n\r\ndata: y\r\rdata: z\n\n".getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i < bytes.length; i++) {
			this.decoder.decode(bytes, i, 1);
		}
		assertThat(this.events).containsExactly("x", "y", "z");
	}

	@Test
	void joinsTheDataLinesOfOneEventAndIgnoresOtherFields() {
		feed("event: message\nid: 7\ndata: one\ndata:two\nretry: 10\n\n");

		assertThat(this.events).containsExactly("one\ntwo");
	}

	@Test
	void dispatchesNothingForAnEventThatHasNotEnded() {
		feed("data: half");

		assertThat(this.events).isEmpty();
		feed("\n\n");
		assertThat(this.events).containsExactly("half");
	}

	@Test
	void rejectsAnEventOverTheLimit() {
		assertThatIllegalStateException().isThrownBy(() -> feed("data: " + "x".repeat(2000) + "\n\n"))
			.withMessageContaining("over 1024 bytes");
	}

	private void feed(String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		this.decoder.decode(bytes, 0, bytes.length);
	}

}
