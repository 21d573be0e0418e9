package dev.llmserve.replica.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmserve.proto.ChatMessage;
import dev.llmserve.proto.ChatMessages;
import dev.llmserve.proto.GenerateRequest;
import dev.llmserve.proto.SamplingParams;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EngineRequestsTests {

	private final ObjectMapper json = new ObjectMapper();

	private final EngineRequests requests = new EngineRequests(this.json, "tiny");

	@Test
	void promptGoesToCompletionsAsAStreamWithUsageAndSampling() throws Exception {
		GenerateRequest request = GenerateRequest.newBuilder()
			.setRequestId("req-1")
			.setPrompt("Once upon a time")
			.setSampling(SamplingParams.newBuilder()
				.setMaxTokens(32)
				.setTemperature(0.5)
				.setTopP(0.9)
				.addStop("\n\n")
				.setSeed(7)
				.setIgnoreEos(true))
			.build();

		EngineRequest engineRequest = this.requests.create(request);

		assertThat(engineRequest.path()).isEqualTo("/v1/completions");
		assertThat(engineRequest.requestId()).isEqualTo("req-1");
		JsonNode body = this.json.readTree(engineRequest.body());
		assertThat(body.path("model").asText()).isEqualTo("tiny");
		assertThat(body.path("prompt").asText()).isEqualTo("Once upon a time");
		assertThat(body.path("stream").asBoolean()).isTrue();
		assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
		assertThat(body.path("max_tokens").asInt()).isEqualTo(32);
		assertThat(body.path("temperature").asDouble()).isEqualTo(0.5);
		assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
		assertThat(body.path("stop").get(0).asText()).isEqualTo("\n\n");
		assertThat(body.path("seed").asLong()).isEqualTo(7);
		assertThat(body.path("ignore_eos").asBoolean()).isTrue();
	}

	@Test
	void leavesUnsetSamplingToTheEnginesDefaults() throws Exception {
		JsonNode body = this.json
			.readTree(this.requests.create(GenerateRequest.newBuilder().setPrompt("hi").build()).body());

		assertThat(body.has("max_tokens")).isFalse();
		assertThat(body.has("temperature")).isFalse();
		assertThat(body.has("top_p")).isFalse();
		assertThat(body.has("stop")).isFalse();
		assertThat(body.has("seed")).isFalse();
		assertThat(body.has("ignore_eos")).isFalse();
	}

	@Test
	void chatToContinueKeepsTheLastAssistantMessageOpen() throws Exception {
		GenerateRequest request = GenerateRequest.newBuilder()
			.setChat(ChatMessages.newBuilder()
				.addMessages(ChatMessage.newBuilder().setRole("user").setContent("Hello"))
				.addMessages(ChatMessage.newBuilder().setRole("assistant").setContent("Hi, how"))
				.setContinueFinalMessage(true))
			.build();

		JsonNode body = this.json.readTree(this.requests.create(request).body());

		assertThat(body.path("continue_final_message").asBoolean()).isTrue();
		assertThat(body.path("add_generation_prompt").isBoolean()).isTrue();
		assertThat(body.path("add_generation_prompt").asBoolean()).isFalse();
		assertThat(body.path("messages").get(1).path("content").asText()).isEqualTo("Hi, how");
	}

	@Test
	void plainChatLeavesTheTemplateFlagsToTheEngine() throws Exception {
		GenerateRequest request = GenerateRequest.newBuilder()
			.setChat(ChatMessages.newBuilder().addMessages(ChatMessage.newBuilder().setRole("user").setContent("Hi")))
			.build();

		JsonNode body = this.json.readTree(this.requests.create(request).body());

		assertThat(body.has("continue_final_message")).isFalse();
		assertThat(body.has("add_generation_prompt")).isFalse();
	}

	@Test
	void chatGoesToChatCompletionsWithItsMessages() throws Exception {
		GenerateRequest request = GenerateRequest.newBuilder()
			.setChat(ChatMessages.newBuilder()
				.addMessages(ChatMessage.newBuilder().setRole("system").setContent("Be brief."))
				.addMessages(ChatMessage.newBuilder().setRole("user").setContent("Hello")))
			.build();

		EngineRequest engineRequest = this.requests.create(request);

		assertThat(engineRequest.path()).isEqualTo("/v1/chat/completions");
		JsonNode messages = this.json.readTree(engineRequest.body()).path("messages");
		assertThat(messages).hasSize(2);
		assertThat(messages.get(1).path("role").asText()).isEqualTo("user");
		assertThat(messages.get(1).path("content").asText()).isEqualTo("Hello");
	}

	@Test
	void refusesARequestWithoutInput() {
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.requests.create(GenerateRequest.getDefaultInstance()))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
	}

	@Test
	void refusesAChatWithoutMessages() {
		GenerateRequest request = GenerateRequest.newBuilder().setChat(ChatMessages.getDefaultInstance()).build();

		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> this.requests.create(request))
			.satisfies((ex) -> assertThat(ex.getStatus().getDescription()).contains("chat.messages"));
	}

}
