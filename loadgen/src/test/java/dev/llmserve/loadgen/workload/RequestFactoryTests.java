package dev.llmserve.loadgen.workload;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestFactoryTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	@Test
	void chatRequestsStreamWithUsageAndAPromptOfTheDrawnLength() throws Exception {
		RequestFactory factory = new RequestFactory(spec(ApiKind.CHAT, new TokenRange(300, 500), 0, 0, true));
		for (int i = 0; i < 50; i++) {
			PreparedRequest request = factory.next();
			JsonNode body = JSON.readTree(request.body());
			String prompt = body.path("messages").path(0).path("content").asText();

			assertThat(request.path()).isEqualTo("/v1/chat/completions");
			assertThat(prompt.split(" ")).hasSize(request.inputTokens());
			assertThat(request.inputTokens()).isBetween(300, 500);
			assertThat(body.path("stream").asBoolean()).isTrue();
			assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
			assertThat(body.path("ignore_eos").asBoolean()).isTrue();
			assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
		}
	}

	@Test
	void completionsRequestsSendAPrompt() throws Exception {
		PreparedRequest request = new RequestFactory(spec(ApiKind.COMPLETIONS, new TokenRange(5, 5), 0, 0, false))
			.next();
		JsonNode body = JSON.readTree(request.body());

		assertThat(request.path()).isEqualTo("/v1/completions");
		assertThat(body.path("prompt").asText().split(" ")).hasSize(5);
		assertThat(body.has("ignore_eos")).isFalse();
	}

	@Test
	void plainRequestsPostTheTextToTheDeploymentsPath() {
		PreparedRequest request = new RequestFactory(spec(ApiKind.PLAIN, new TokenRange(5, 5), 0, 0, false)).next();

		assertThat(request.path()).isEqualTo("/v1/chat/tinyllama");
		assertThat(request.contentType()).isEqualTo("text/plain");
		assertThat(new String(request.body(), StandardCharsets.UTF_8).split(" ")).hasSize(5);
	}

	@Test
	void prefixGroupsShareOneOfKLongPrefixes() {
		RequestFactory factory = new RequestFactory(spec(ApiKind.PLAIN, new TokenRange(10, 10), 3, 200, false));
		java.util.Set<String> prefixes = new java.util.HashSet<>();
		for (int i = 0; i < 200; i++) {
			PreparedRequest request = factory.next();
			String[] words = new String(request.body(), StandardCharsets.UTF_8).split(" ");
			assertThat(words).hasSize(210);
			assertThat(request.inputTokens()).isEqualTo(210);
			prefixes.add(String.join(" ", java.util.Arrays.copyOf(words, 200)));
		}

		assertThat(prefixes).hasSize(3);
	}

	@Test
	void everyPromptWordIsOneOfTheSimulatorsOneTokenWords() {
		RequestFactory factory = new RequestFactory(spec(ApiKind.PLAIN, new TokenRange(100, 100), 0, 0, false));

		assertThat(new String(factory.next().body(), StandardCharsets.UTF_8).split(" "))
			.allSatisfy((word) -> assertThat(PromptFactory.WORDS).contains(word));
	}

	private static WorkloadSpec spec(ApiKind api, TokenRange input, int groups, int prefixTokens, boolean ignoreEos) {
		return new WorkloadSpec(api, "tinyllama", input, new TokenRange(64, 64), ignoreEos, groups, prefixTokens, 7);
	}

}
