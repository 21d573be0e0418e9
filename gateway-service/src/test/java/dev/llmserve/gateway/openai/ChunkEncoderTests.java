package dev.llmserve.gateway.openai;

import dev.llmserve.gateway.error.ApiErrors;
import dev.llmserve.proto.GenerateChunk;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Byte-exact against vLLM's streaming output (shared/reference/vllm-facts.md, section 1).
 */
class ChunkEncoderTests {

	private static final String CHAT_HEAD = "{\"id\":\"chatcmpl-8b2b91720edd4372b0579e89255b4828\","
			+ "\"object\":\"chat.completion.chunk\",\"created\":1772423572,\"model\":\"qwen3_8b\",\"choices\":[";

	private final ChatChunkEncoder chat = new ChatChunkEncoder("8b2b91720edd4372b0579e89255b4828", 1772423572L,
			"qwen3_8b");

	private final TextChunkEncoder text = new TextChunkEncoder("abc", 1739415321L, "m");

	@Test
	void sendsTheRoleChunkTogetherWithTheFirstToken() {
		assertThat(this.chat.events(token(" Hello"), true)).isEqualTo("data: " + CHAT_HEAD
				+ "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
				+ "data: " + CHAT_HEAD
				+ "{\"index\":0,\"delta\":{\"content\":\" Hello\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
	}

	@Test
	void writesLaterChatTokensAsContentDeltas() {
		assertThat(this.chat.events(token(" Hello"), false)).isEqualTo("data: " + CHAT_HEAD
				+ "{\"index\":0,\"delta\":{\"content\":\" Hello\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
	}

	@Test
	void putsFinishAndStopReasonOnTheLastChatToken() {
		GenerateChunk last = GenerateChunk.newBuilder().setText(" end").setFinishReason("length").build();
		assertThat(this.chat.events(last, false)).isEqualTo("data: " + CHAT_HEAD
				+ "{\"index\":0,\"delta\":{\"content\":\" end\"},\"logprobs\":null,\"finish_reason\":\"length\",\"stop_reason\":null}]}\n\n");
	}

	@Test
	void sendsAnEmptyDeltaForAnEndOfSequenceStopAndNamesAMatchedStopString() {
		GenerateChunk eos = GenerateChunk.newBuilder().setFinishReason("stop").build();
		assertThat(this.chat.events(eos, false))
			.endsWith("{\"index\":0,\"delta\":{\"content\":\"\"},\"logprobs\":null,\"finish_reason\":\"stop\","
					+ "\"stop_reason\":null}]}\n\n");
		GenerateChunk stopString = GenerateChunk.newBuilder().setFinishReason("stop").setStopReason("###").build();
		assertThat(this.text.events(stopString, false))
			.endsWith("\"text\":\"\",\"logprobs\":null,\"finish_reason\":\"stop\",\"stop_reason\":\"###\"}]}\n\n");
	}

	@Test
	void skipsAnEmptyDeltaBeforeTheEnd() {
		assertThat(this.chat.events(token(""), true)).isNull();
		assertThat(this.text.events(token(""), false)).isNull();
	}

	@Test
	void writesTextCompletionChunksWithNullReasonsUntilTheEnd() {
		assertThat(this.text.events(token(" Hello"), true)).isEqualTo(
				"data: {\"id\":\"cmpl-abc\",\"object\":\"text_completion\",\"created\":1739415321,\"model\":\"m\",\"choices\":"
						+ "[{\"index\":0,\"text\":\" Hello\",\"logprobs\":null,\"finish_reason\":null,\"stop_reason\":null}]}\n\n");
	}

	@Test
	void writesTheUsageChunkInVllmKeyOrder() {
		Completion completion = new Completion("", "length", null, 16, 20);
		assertThat(this.chat.usageEvent(completion))
			.isEqualTo("data: {\"id\":\"chatcmpl-8b2b91720edd4372b0579e89255b4828\","
					+ "\"object\":\"chat.completion.chunk\",\"created\":1772423572,\"model\":\"qwen3_8b\",\"choices\":[],"
					+ "\"usage\":{\"prompt_tokens\":16,\"total_tokens\":36,\"completion_tokens\":20}}\n\n");
		assertThat(this.text.usageEvent(new Completion("", "length", null, 5, 16))).isEqualTo(
				"data: {\"id\":\"cmpl-abc\",\"object\":\"text_completion\",\"created\":1739415321,\"model\":\"m\",\"choices\":[],"
						+ "\"usage\":{\"prompt_tokens\":5,\"total_tokens\":21,\"completion_tokens\":16}}\n\n");
	}

	@Test
	void escapesTextLikeVllm() {
		String escaped = this.text.events(token("say \"hi\"\\\n\tand \u0001 café 🤖"), false);
		assertThat(escaped).contains("\"text\":\"say \\\"hi\\\"\\\\\\n\\tand \\u0001 café 🤖\"");
	}

	@Test
	void writesTheNonStreamedChatAnswer() {
		Completion completion = new Completion("Hello world", "stop", null, 5, 2);
		assertThat(this.chat.completion(completion)).isEqualTo("{\"id\":\"chatcmpl-8b2b91720edd4372b0579e89255b4828\","
				+ "\"object\":\"chat.completion\",\"created\":1772423572,\"model\":\"qwen3_8b\",\"choices\":[{\"index\":0,"
				+ "\"message\":{\"role\":\"assistant\",\"content\":\"Hello world\"},\"logprobs\":null,\"finish_reason\":\"stop\","
				+ "\"stop_reason\":null}],\"usage\":{\"prompt_tokens\":5,\"total_tokens\":7,\"completion_tokens\":2}}");
	}

	@Test
	void writesTheNonStreamedTextAnswer() {
		Completion completion = new Completion("Hello world", "length", null, 5, 2);
		assertThat(this.text.completion(completion))
			.isEqualTo("{\"id\":\"cmpl-abc\",\"object\":\"text_completion\",\"created\":1739415321,\"model\":\"m\","
					+ "\"choices\":[{\"index\":0,\"text\":\"Hello world\",\"logprobs\":null,\"finish_reason\":\"length\","
					+ "\"stop_reason\":null}],\"usage\":{\"prompt_tokens\":5,\"total_tokens\":7,\"completion_tokens\":2}}");
	}

	@Test
	void endsAFailedStreamWithAnErrorEventAndDone() {
		assertThat(ChunkEncoder.errorEvents(ApiErrors.internal()))
			.isEqualTo("data: {\"error\":{\"message\":\"Internal server error\",\"type\":\"InternalServerError\","
					+ "\"param\":null,\"code\":500}}\n\ndata: [DONE]\n\n");
	}

	private static GenerateChunk token(String text) {
		return GenerateChunk.newBuilder().setText(text).setTokenCount(1).build();
	}

}
