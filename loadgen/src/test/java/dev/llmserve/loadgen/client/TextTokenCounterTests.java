package dev.llmserve.loadgen.client;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextTokenCounterTests {

	@Test
	void countsWordsAndPunctuationOfSimulatorAnswersAsOneTokenEach() {
		assertThat(count(" Machine learning is a field. A model predicts,")).isEqualTo(10);
	}

	@Test
	void aWordSplitAcrossReadsIsOneToken() {
		TextTokenCounter counter = new TextTokenCounter();
		feed(counter, " lear");
		feed(counter, "ning is");
		counter.finish();

		assertThat(counter.count()).isEqualTo(2);
	}

	@Test
	void digitsGoInThreesAndSymbolsInFours() {
		assertThat(count(" 1234567")).isEqualTo(3);
		assertThat(count(" !!!!!")).isEqualTo(2);
	}

	private static int count(String text) {
		TextTokenCounter counter = new TextTokenCounter();
		feed(counter, text);
		counter.finish();
		return counter.count();
	}

	private static void feed(TextTokenCounter counter, String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		counter.accept(bytes, bytes.length);
	}

}
