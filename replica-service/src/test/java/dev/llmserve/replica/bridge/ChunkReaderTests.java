package dev.llmserve.replica.bridge;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ChunkReaderTests {

	private final ChunkReader reader = new ChunkReader(new JsonFactory());

	@Test
	void readsTextFinishAndStopReasonsSkippingEverythingElse() throws IOException {
		ChunkReader.Chunk chunk = this.reader.read("""
				{"id":"cmpl-1","object":"text_completion","created":1,"model":"m","extra":{"a":[1,{"b":2}]},
				 "choices":[{"index":0,"text":"Hi","logprobs":{"tokens":["Hi"]},"finish_reason":"stop",
				 "stop_reason":128001,"future":[1,2]}],"usage":null}""");
		assertThat(chunk.choices()).containsExactly(new ChunkReader.Choice("Hi", "stop", "128001"));
		assertThat(chunk.usage()).isNull();
	}

	@Test
	void readsChatDeltaContentAndTreatsAMissingOrNonTextContentAsEmpty() throws IOException {
		ChunkReader.Chunk chunk = this.reader
			.read("""
					{"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null},
					 {"index":1,"delta":{"content":{"odd":true}}},{"index":2,"delta":{"content":"x"},"text":"ignored"}]}""");
		assertThat(chunk.choices()).extracting(ChunkReader.Choice::text).containsExactly("", "", "x");
		assertThat(chunk.choices()).extracting(ChunkReader.Choice::finishReason).containsOnlyNulls();
	}

	@Test
	void readsUsageAndIgnoresItsOtherFields() throws IOException {
		ChunkReader.Chunk chunk = this.reader.read("""
				{"choices":[],"usage":{"prompt_tokens":12,"total_tokens":17,"completion_tokens":5,
				 "prompt_tokens_details":{"cached_tokens":4}}}""");
		assertThat(chunk.choices()).isEmpty();
		assertThat(chunk.usage()).containsExactly(12, 5);
	}

	@Test
	void reportsAChunkWithAnErrorAsNull() throws IOException {
		assertThat(this.reader.read("{\"choices\":[],\"error\":{\"message\":\"boom\"}}")).isNull();
		assertThat(this.reader.read("{\"choices\":[],\"error\":null}")).isNotNull();
	}

	@Test
	void failsOnSomethingThatIsNotAJsonObject() {
		assertThatExceptionOfType(JsonProcessingException.class).isThrownBy(() -> this.reader.read("[1,2]"));
		assertThatExceptionOfType(JsonProcessingException.class).isThrownBy(() -> this.reader.read("{\"choices\":["));
	}

}
