package dev.llmserve.gateway.openai;

import java.nio.charset.StandardCharsets;

import dev.llmserve.gateway.support.GatewayIntegrationTest;
import dev.llmserve.proto.ChatMessage;
import dev.llmserve.proto.GenerateRequest;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

class OpenAiIntegrationTests extends GatewayIntegrationTest {

	private static final String CHAT_HEAD = "data: {\"id\":\"chatcmpl-req-1\",\"object\":\"chat.completion.chunk\","
			+ "\"created\":0,\"model\":\"solo\",\"choices\":[";

	@Test
	void streamsAChatCompletionInVllmsShapeEndingWithDone() {
		String body = streamBody(post("/v1/chat/completions", "{\"model\":\"solo\",\"stream\":true,"
				+ "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
			.header("X-Request-Id", "req-1"), "req-1");
		assertThat(body).isEqualTo(CHAT_HEAD
				+ "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
				+ CHAT_HEAD
				+ "{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
				+ CHAT_HEAD
				+ "{\"index\":0,\"delta\":{\"content\":\" world\"},\"logprobs\":null,\"finish_reason\":\"stop\",\"stop_reason\":null}]}\n\n"
				+ CHAT_HEAD + "],\"usage\":{\"prompt_tokens\":5,\"total_tokens\":7,\"completion_tokens\":2}}\n\n"
				+ "data: [DONE]\n\n");
		GenerateRequest sent = SOLO.requests().get(0);
		assertThat(sent.getRequestId()).isEqualTo("req-1");
		assertThat(sent.getDeployment()).isEqualTo("solo");
		assertThat(sent.getChat().getMessagesList())
			.containsExactly(ChatMessage.newBuilder().setRole("user").setContent("Hi").build());
	}

	@Test
	void streamsATextCompletionEndingWithDone() {
		String body = streamBody(
				post("/v1/completions", "{\"model\":\"solo\",\"prompt\":\"Once\",\"stream\":true,\"max_tokens\":2}")
					.header("X-Request-Id", "req-2"),
				"req-2");
		String head = "data: {\"id\":\"cmpl-req-2\",\"object\":\"text_completion\",\"created\":0,\"model\":\"solo\","
				+ "\"choices\":[";
		assertThat(body).isEqualTo(head
				+ "{\"index\":0,\"text\":\"Hello\",\"logprobs\":null,\"finish_reason\":null,\"stop_reason\":null}]}\n\n"
				+ head
				+ "{\"index\":0,\"text\":\" world\",\"logprobs\":null,\"finish_reason\":\"stop\",\"stop_reason\":null}]}\n\n"
				+ "data: [DONE]\n\n");
		assertThat(SOLO.requests().get(0).getPrompt()).isEqualTo("Once");
		assertThat(SOLO.requests().get(0).getSampling().getMaxTokens()).isEqualTo(2);
	}

	@Test
	void aggregatesANonStreamedChatCompletion() {
		post("/v1/chat/completions", "{\"model\":\"tinyllama\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.object")
			.isEqualTo("chat.completion")
			.jsonPath("$.choices[0].message.role")
			.isEqualTo("assistant")
			.jsonPath("$.choices[0].message.content")
			.isEqualTo("Hello world")
			.jsonPath("$.choices[0].finish_reason")
			.isEqualTo("stop")
			.jsonPath("$.usage.total_tokens")
			.isEqualTo(7);
	}

	@Test
	void aggregatesANonStreamedTextCompletion() {
		post("/v1/completions", "{\"model\":\"tinyllama\",\"prompt\":[\"Once\"]}").exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.object")
			.isEqualTo("text_completion")
			.jsonPath("$.choices[0].text")
			.isEqualTo("Hello world")
			.jsonPath("$.usage.completion_tokens")
			.isEqualTo(2);
	}

	@Test
	void generatesARequestIdWhenTheClientSendsNone() {
		String id = post("/v1/completions", "{\"model\":\"solo\",\"prompt\":\"x\"}").exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueMatches("X-Request-Id", "[0-9a-f]{32}")
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst("X-Request-Id");
		assertThat(SOLO.requests().get(0).getRequestId()).isEqualTo(id);
	}

	@Test
	void listsTheDeploymentsItRoutesToAsModels() {
		client().get()
			.uri("/v1/models")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.object")
			.isEqualTo("list")
			.jsonPath("$.data[*].id")
			.value((ids) -> assertThat(ids).asList().containsExactlyInAnyOrder("tinyllama", "solo", "ghost"))
			.jsonPath("$.data[0].object")
			.isEqualTo("model")
			.jsonPath("$.data[0].owned_by")
			.isEqualTo("llmserve");
	}

	@Test
	void answersNotFoundForAModelNoDeploymentServes() {
		post("/v1/chat/completions",
				"{\"model\":\"foo\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.json("{\"error\":{\"message\":\"The model `foo` does not exist.\",\"type\":\"NotFoundError\","
					+ "\"param\":\"model\",\"code\":404}}", true);
	}

	private WebTestClient.RequestHeadersSpec<?> post(String path, String json) {
		return client().post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(json);
	}

	private static String streamBody(WebTestClient.RequestHeadersSpec<?> request, String requestId) {
		byte[] body = request.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
			.expectHeader()
			.valueEquals("X-Request-Id", requestId)
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		return new String(body, StandardCharsets.UTF_8).replaceAll("\"created\":\\d+", "\"created\":0");
	}

}
