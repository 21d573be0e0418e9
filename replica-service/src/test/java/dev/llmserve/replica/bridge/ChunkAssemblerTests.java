package dev.llmserve.replica.bridge;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmserve.proto.GenerateChunk;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ChunkAssemblerTests {

	private final ChunkAssembler assembler = new ChunkAssembler(new ObjectMapper());

	@Test
	void mapsACompletionStreamToTextChunksThenAFinalChunkWithUsage() {
		List<GenerateChunk> chunks = acceptAll(
				"{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\" Hello\",\"logprobs\":null,\"finish_reason\":null,\"stop_reason\":null}]}",
				"{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\" world\",\"logprobs\":null,\"finish_reason\":null,\"stop_reason\":null}]}",
				"{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\"!\",\"logprobs\":null,\"finish_reason\":\"length\",\"stop_reason\":null}]}",
				"{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"total_tokens\":8,\"completion_tokens\":3}}",
				"[DONE]");

		assertThat(chunks).extracting(GenerateChunk::getText).containsExactly(" Hello", " world", "!");
		assertThat(chunks).extracting(GenerateChunk::getTokenCount).containsExactly(1, 1, 1);
		assertThat(chunks.subList(0, 2)).allSatisfy((chunk) -> {
			assertThat(chunk.getFinishReason()).isEmpty();
			assertThat(chunk.hasUsage()).isFalse();
		});
		GenerateChunk last = chunks.get(2);
		assertThat(last.getFinishReason()).isEqualTo("length");
		assertThat(last.getStopReason()).isEmpty();
		assertThat(last.getUsage().getPromptTokens()).isEqualTo(5);
		assertThat(last.getUsage().getCompletionTokens()).isEqualTo(3);
	}

	@Test
	void holdsTheFinishingChunkUntilDone() {
		assertThat(this.assembler.accept(
				"{\"choices\":[{\"index\":0,\"text\":\"end\",\"finish_reason\":\"stop\",\"stop_reason\":\"###\"}]}"))
			.isEmpty();
		assertThat(this.assembler.accept("{\"choices\":[],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":1}}"))
			.isEmpty();

		List<GenerateChunk> last = this.assembler.accept("[DONE]");

		assertThat(last).singleElement().satisfies((chunk) -> {
			assertThat(chunk.getText()).isEqualTo("end");
			assertThat(chunk.getFinishReason()).isEqualTo("stop");
			assertThat(chunk.getStopReason()).isEqualTo("###");
			assertThat(chunk.getUsage().getCompletionTokens()).isEqualTo(1);
		});
	}

	@Test
	void mapsAChatStreamSkippingTheRoleChunk() {
		List<GenerateChunk> chunks = acceptAll(
				"{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}",
				"{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" Hi\"},\"logprobs\":null,\"finish_reason\":null}]}",
				"{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"logprobs\":null,\"finish_reason\":\"stop\",\"stop_reason\":null}]}",
				"{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":16,\"total_tokens\":18,\"completion_tokens\":2}}",
				"[DONE]");

		assertThat(chunks).extracting(GenerateChunk::getText).containsExactly(" Hi", "");
		assertThat(chunks).extracting(GenerateChunk::getTokenCount).containsExactly(1, 0);
		assertThat(chunks.get(1).getFinishReason()).isEqualTo("stop");
		assertThat(chunks.get(1).getUsage().getPromptTokens()).isEqualTo(16);
	}

	@Test
	void keepsANumericStopReasonAsText() {
		List<GenerateChunk> chunks = acceptAll(
				"{\"choices\":[{\"index\":0,\"text\":\"\",\"finish_reason\":\"stop\",\"stop_reason\":128009}]}",
				"[DONE]");

		assertThat(chunks).singleElement().extracting(GenerateChunk::getStopReason).isEqualTo("128009");
	}

	@Test
	void finishesWithoutUsageWhenTheEngineSendsNone() {
		List<GenerateChunk> chunks = acceptAll(
				"{\"choices\":[{\"index\":0,\"text\":\"x\",\"finish_reason\":\"length\"}]}", "[DONE]");

		assertThat(chunks).singleElement().satisfies((chunk) -> assertThat(chunk.hasUsage()).isFalse());
	}

	@Test
	void ignoresUnknownFields() {
		List<GenerateChunk> chunks = acceptAll(
				"{\"choices\":[{\"index\":0,\"text\":\"a\",\"token_ids\":null,\"finish_reason\":null}],\"prompt_token_ids\":null,\"system_fingerprint\":\"x\"}");

		assertThat(chunks).extracting(GenerateChunk::getText).containsExactly("a");
	}

	@Test
	void failsWithInternalAndTheEnginesMessageOnAnInStreamError() {
		this.assembler.accept("{\"choices\":[{\"index\":0,\"text\":\"a\",\"finish_reason\":null}]}");

		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> this.assembler.accept(
				"{\"error\":{\"message\":\"engine fault injected\",\"type\":\"InternalServerError\",\"code\":500}}"))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
				assertThat(ex.getStatus().getDescription()).isEqualTo("engine fault injected");
			});
	}

	@Test
	void failsWithUnavailableWhenTheStreamEndsBeforeTheGenerationFinished() {
		this.assembler.accept("{\"choices\":[{\"index\":0,\"text\":\"a\",\"finish_reason\":null}]}");

		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(this.assembler::complete)
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
	}

	@Test
	void emitsTheFinalChunkWhenTheStreamEndsAfterTheFinishButBeforeDone() {
		this.assembler.accept("{\"choices\":[{\"index\":0,\"text\":\"a\",\"finish_reason\":\"length\"}]}");

		assertThat(this.assembler.complete()).singleElement()
			.extracting(GenerateChunk::getFinishReason)
			.isEqualTo("length");
	}

	@Test
	void completesQuietlyAfterDone() {
		acceptAll("{\"choices\":[{\"index\":0,\"text\":\"a\",\"finish_reason\":\"length\"}]}", "[DONE]");

		assertThat(this.assembler.complete()).isEmpty();
		assertThat(this.assembler.accept("{\"choices\":[{\"index\":0,\"text\":\"late\"}]}")).isEmpty();
	}

	@Test
	void failsWithInternalOnAnUnreadableChunk() {
		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> this.assembler.accept("{not json"))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL));
	}

	private List<GenerateChunk> acceptAll(String... events) {
		List<GenerateChunk> chunks = new ArrayList<>();
		for (String event : events) {
			chunks.addAll(this.assembler.accept(event));
		}
		return chunks;
	}

}
