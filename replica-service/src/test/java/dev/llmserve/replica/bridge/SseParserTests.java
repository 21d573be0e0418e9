package dev.llmserve.replica.bridge;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SseParserTests {

	private final SseParser parser = new SseParser(4096);

	@Test
	void returnsTheDataOfEachCompleteEvent() {
		assertThat(feed("data: {\"a\":1}\n\ndata: [DONE]\n\n")).containsExactly("{\"a\":1}", "[DONE]");
	}

	@Test
	void holdsAnEventSplitAcrossReadsUntilItIsComplete() {
		assertThat(feed("da")).isEmpty();
		assertThat(feed("ta: {\"text\":\"he")).isEmpty();
		assertThat(feed("llo\"}\n")).isEmpty();
		assertThat(feed("\ndata: [DO")).containsExactly("{\"text\":\"hello\"}");
		assertThat(feed("NE]\n\n")).containsExactly("[DONE]");
	}

	@Test
	void splitsEventsPackedIntoOneRead() {
		assertThat(feed("data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4")).containsExactly("1", "2", "3");
		assertThat(feed("\n\n")).containsExactly("4");
	}

	@Test
	void reassemblesAMultiByteCharacterCutByARead() {
		byte[] bytes = "data: {\"text\":\"héllo 🙂\"}\n\n".getBytes(StandardCharsets.UTF_8);
		List<String> events = new ArrayList<>();
		for (byte b : bytes) {
			events.addAll(this.parser.feed(new byte[] { b }));
		}
		assertThat(events).containsExactly("{\"text\":\"héllo 🙂\"}");
	}

	@Test
	void acceptsCrLfLineEndingsEvenWhenCutBetweenCrAndLf() {
		assertThat(feed("data: a\r")).isEmpty();
		assertThat(feed("\n\r")).containsExactly("a");
		assertThat(feed("\ndata: b\r\n\r\n")).containsExactly("b");
	}

	@Test
	void endsALineAtACarriageReturnWhateverTheNextReadStartsWith() {
		assertThat(feed("data: a\r")).isEmpty();
		assertThat(feed("\rdata: b")).containsExactly("a");
		assertThat(feed("\r")).isEmpty();
		assertThat(feed("x")).isEmpty();
		assertThat(feed("\n\n")).containsExactly("b");
	}

	@Test
	void readsTheDataFieldOnlyByItsExactName() {
		assertThat(feed("dataX: no\ndata\ndata:yes\n\n")).containsExactly("\nyes");
	}

	@Test
	void joinsMultipleDataLinesAndIgnoresCommentsAndOtherFields() {
		assertThat(feed(": keep-alive\n\nevent: message\nid: 7\ndata: a\ndata:b\n\n")).containsExactly("a\nb");
	}

	@Test
	void ignoresEventsWithoutData() {
		assertThat(feed("\n\n: ping\n\nretry: 10\n\n")).isEmpty();
	}

	@Test
	void refusesAnEventLargerThanTheLimit() {
		SseParser small = new SseParser(1024);
		byte[] big = ("data: " + "x".repeat(2000)).getBytes(StandardCharsets.UTF_8);
		assertThatIllegalStateException().isThrownBy(() -> small.feed(big)).withMessageContaining("1024");
	}

	@Test
	void doesNotCountLinesOfEarlierEventsAgainstTheLimit() {
		SseParser small = new SseParser(1024);
		String event = "data: " + "x".repeat(600) + "\n\n";
		assertThat(small.feed((event + event + event).getBytes(StandardCharsets.UTF_8))).hasSize(3);
	}

	private List<String> feed(String text) {
		return this.parser.feed(text.getBytes(StandardCharsets.UTF_8));
	}

}
