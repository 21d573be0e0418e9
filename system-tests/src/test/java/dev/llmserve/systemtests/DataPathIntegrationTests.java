package dev.llmserve.systemtests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole data path with real processes: HTTP client → gateway → replica (gRPC) →
 * simulator engine (HTTP/SSE), and back, token by token.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DataPathIntegrationTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static LocalCluster cluster;

	@BeforeAll
	static void startCluster() throws Exception {
		// 5 ms per token: long generations stay open long enough to hang up on them.
		cluster = LocalCluster.start(2, List.of("--fixed-itl-ms", "5"));
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
			assertThat(cluster.leftovers()).as("processes left running").isEmpty();
		}
	}

	@Test
	void streamsAChatCompletionAsVllmShapedChunksEndingWithDone() throws Exception {
		String body = """
				{"model":"tinyllama","messages":[{"role":"user","content":"What is machine learning?"}],
				 "max_tokens":12,"ignore_eos":true,"stream":true,"stream_options":{"include_usage":true}}""";
		try (RawHttp http = RawHttp.postJson(cluster.gatewayPort(), "/v1/chat/completions", body)) {
			assertThat(http.status()).isEqualTo(200);
			assertThat(http.header("content-type")).startsWith("text/event-stream");
			List<String> events = new SseReader(http).rest();

			assertThat(events).last().isEqualTo("[DONE]");
			List<JsonNode> chunks = parse(events.subList(0, events.size() - 1));
			JsonNode first = chunks.get(0);
			assertThat(fieldNames(first)).containsExactly("id", "object", "created", "model", "choices");
			assertThat(first.get("id").asText()).startsWith("chatcmpl-");
			assertThat(first.get("object").asText()).isEqualTo("chat.completion.chunk");
			assertThat(first.get("model").asText()).isEqualTo("tinyllama");
			assertThat(first.at("/choices/0/delta/role").asText()).isEqualTo("assistant");
			JsonNode usage = chunks.get(chunks.size() - 1);
			assertThat(usage.get("choices")).isEmpty();
			assertThat(fieldNames(usage.get("usage"))).containsExactly("prompt_tokens", "total_tokens",
					"completion_tokens");
			assertThat(usage.at("/usage/completion_tokens").asInt()).isEqualTo(12);
			List<JsonNode> choices = chunks.subList(0, chunks.size() - 1);
			assertThat(choices).allSatisfy((chunk) -> {
				assertThat(chunk.get("id").asText()).isEqualTo(first.get("id").asText());
				assertThat(chunk.get("created").asLong()).isEqualTo(first.get("created").asLong());
				assertThat(fieldNames(chunk.at("/choices/0"))).startsWith("index", "delta", "logprobs",
						"finish_reason");
			});
			assertThat(choices.get(choices.size() - 1).at("/choices/0/finish_reason").asText()).isEqualTo("length");
			assertThat(choices.subList(0, choices.size() - 1))
				.allSatisfy((chunk) -> assertThat(chunk.at("/choices/0/finish_reason").isNull()).isTrue());
			String text = choices.stream()
				.map((chunk) -> chunk.at("/choices/0/delta/content").asText(""))
				.reduce("", String::concat);
			assertThat(text).isNotBlank();
		}
	}

	@Test
	void streamsACompletionAsVllmShapedChunksEndingWithDone() throws Exception {
		String body = """
				{"model":"tinyllama","prompt":"Once upon a time","max_tokens":8,"ignore_eos":true,"stream":true}""";
		try (RawHttp http = RawHttp.postJson(cluster.gatewayPort(), "/v1/completions", body)) {
			assertThat(http.status()).isEqualTo(200);
			List<String> events = new SseReader(http).rest();

			assertThat(events).last().isEqualTo("[DONE]");
			List<JsonNode> chunks = parse(events.subList(0, events.size() - 1));
			assertThat(chunks).hasSize(8).allSatisfy((chunk) -> {
				assertThat(chunk.get("id").asText()).startsWith("cmpl-");
				assertThat(chunk.get("object").asText()).isEqualTo("text_completion");
				assertThat(fieldNames(chunk.at("/choices/0"))).containsExactly("index", "text", "logprobs",
						"finish_reason", "stop_reason");
				assertThat(chunk.at("/choices/0/text").asText()).isNotEmpty();
			});
			assertThat(chunks.get(7).at("/choices/0/finish_reason").asText()).isEqualTo("length");
		}
	}

	@Test
	void answersANonStreamingChatCompletionWithUsage() throws Exception {
		String body = """
				{"model":"tinyllama","messages":[{"role":"user","content":"Hi"}],"max_tokens":5,"ignore_eos":true}""";
		try (RawHttp http = RawHttp.postJson(cluster.gatewayPort(), "/v1/chat/completions", body)) {
			assertThat(http.status()).isEqualTo(200);
			JsonNode completion = JSON.readTree(http.body());

			assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
			assertThat(completion.at("/choices/0/message/role").asText()).isEqualTo("assistant");
			assertThat(completion.at("/choices/0/message/content").asText()).isNotBlank();
			assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("length");
			assertThat(completion.at("/usage/completion_tokens").asInt()).isEqualTo(5);
		}
	}

	@Test
	void plainEndpointStreamsTheGeneratedTextInChunks() throws Exception {
		try (RawHttp http = RawHttp.post(cluster.gatewayPort(), "/v1/chat/tinyllama", "text/plain",
				"What is machine learning?")) {
			assertThat(http.status()).isEqualTo(200);
			assertThat(http.header("content-type")).startsWith("text/plain");
			assertThat(http.isChunked()).isTrue();
			List<String> pieces = new ArrayList<>();
			for (String piece = http.nextPiece(); piece != null; piece = http.nextPiece()) {
				pieces.add(piece);
			}

			assertThat(pieces).hasSizeGreaterThan(1);
			assertThat(String.join("", pieces)).isNotBlank().doesNotContain("data:");
		}
	}

	@Test
	void unknownModelIsA404InOpenAiErrorShape() throws Exception {
		String body = """
				{"model":"nope","messages":[{"role":"user","content":"Hi"}]}""";
		try (RawHttp http = RawHttp.postJson(cluster.gatewayPort(), "/v1/chat/completions", body)) {
			assertThat(http.status()).isEqualTo(404);
			JsonNode error = JSON.readTree(http.body()).get("error");

			assertThat(error.get("message").asText()).contains("nope");
			assertThat(error.get("code").asInt()).isEqualTo(404);
		}
	}

	@Test
	void engineValidationErrorsReachTheClientAsA400() throws Exception {
		String body = """
				{"model":"tinyllama","prompt":"Hi","max_tokens":100000}""";
		try (RawHttp http = RawHttp.postJson(cluster.gatewayPort(), "/v1/completions", body)) {
			assertThat(http.status()).isEqualTo(400);
			JsonNode error = JSON.readTree(http.body()).get("error");

			assertThat(error.get("message").asText()).contains("maximum context length");
		}
	}

	@Test
	void fiftyConcurrentStreamsAllCompleteAndSpreadOverBothReplicas() throws Exception {
		List<Long> before = requestsPerEngine();
		ExecutorService pool = Executors.newFixedThreadPool(50);
		try {
			List<Future<List<String>>> streams = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				String body = """
						{"model":"tinyllama","prompt":"Stream %d","max_tokens":40,"ignore_eos":true,"stream":true}"""
					.formatted(i);
				streams.add(pool.submit(() -> {
					try (RawHttp http = RawHttp.postJson(cluster.gatewayPort(), "/v1/completions", body)) {
						return new SseReader(http).rest();
					}
				}));
			}
			for (Future<List<String>> stream : streams) {
				List<String> events = stream.get(60, TimeUnit.SECONDS);
				assertThat(events).hasSize(41).last().isEqualTo("[DONE]");
			}
		}
		finally {
			pool.shutdownNow();
		}
		List<Long> after = requestsPerEngine();
		long first = after.get(0) - before.get(0);
		long second = after.get(1) - before.get(1);

		assertThat(first + second).isEqualTo(50);
		assertThat(Math.min(first, second)).as("the lesser-used replica's share").isGreaterThanOrEqualTo(15);
	}

	@Test
	void clientThatHangsUpMakesTheEngineAbortWithinOneSecond() throws Exception {
		long abortedBefore = totalAborted();
		String body = """
				{"model":"tinyllama","prompt":"A very long story","max_tokens":1500,"ignore_eos":true,"stream":true}""";
		RawHttp http = RawHttp.postJson(cluster.gatewayPort(), "/v1/completions", body);
		SseReader events = new SseReader(http);
		assertThat(events.next()).contains("text_completion");
		assertThat(events.next()).contains("text_completion");

		http.close();
		long hungUpAt = System.nanoTime();

		await().atMost(Duration.ofSeconds(1))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> totalAborted() == abortedBefore + 1);
		assertThat(Duration.ofNanos(System.nanoTime() - hungUpAt)).isLessThan(Duration.ofSeconds(1));
	}

	@Test
	void manyClientsHangingUpAtOnceAllGetTheirStreamAndAllAreAborted() throws Exception {
		// Every hang-up closes an engine connection and every new stream opens one: the
		// churn that once made new connections fail (a reused file descriptor) with a
		// 502.
		int streams = 300;
		long abortedBefore = totalAborted();
		String body = """
				{"model":"tinyllama","prompt":"A very long story","max_tokens":1500,"ignore_eos":true,"stream":true}""";
		ExecutorService clients = Executors.newFixedThreadPool(60);
		try {
			List<Future<String>> firstChunks = new ArrayList<>();
			for (int i = 0; i < streams; i++) {
				firstChunks.add(clients.submit(() -> {
					try (RawHttp http = RawHttp.postJson(cluster.gatewayPort(), "/v1/completions", body)) {
						return http.status() + " " + new SseReader(http).next();
					}
				}));
			}
			for (Future<String> first : firstChunks) {
				assertThat(first.get(60, TimeUnit.SECONDS)).startsWith("200 ").contains("text_completion");
			}
		}
		finally {
			clients.shutdownNow();
		}

		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> totalAborted() == abortedBefore + streams);
	}

	@Test
	void officialOpenAiJavaSdkStreamsAChatCompletion() {
		OpenAIClient client = OpenAIOkHttpClient.builder()
			.baseUrl("http://127.0.0.1:" + cluster.gatewayPort() + "/v1")
			.apiKey("unused")
			.build();
		ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
			.model(LocalCluster.DEPLOYMENT)
			.addUserMessage("What is machine learning?")
			.maxCompletionTokens(10)
			.build();
		StringBuilder text = new StringBuilder();
		List<String> finishReasons = new ArrayList<>();
		try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
			stream.stream().forEach((chunk) -> chunk.choices().forEach((choice) -> {
				choice.delta().content().ifPresent(text::append);
				choice.finishReason().ifPresent((reason) -> finishReasons.add(reason.asString()));
			}));
		}
		finally {
			client.close();
		}

		assertThat(text.toString()).isNotBlank();
		assertThat(finishReasons).hasSize(1);
	}

	private List<Long> requestsPerEngine() throws Exception {
		List<Long> counts = new ArrayList<>();
		for (LocalCluster.Replica replica : cluster.replicas()) {
			counts.add(cluster.engineStats(replica).get("requests_total").asLong());
		}
		return counts;
	}

	private long totalAborted() throws Exception {
		long aborted = 0;
		for (LocalCluster.Replica replica : cluster.replicas()) {
			aborted += cluster.engineStats(replica).get("aborted").asLong();
		}
		return aborted;
	}

	private static List<JsonNode> parse(List<String> events) throws Exception {
		List<JsonNode> nodes = new ArrayList<>();
		for (String event : events) {
			nodes.add(JSON.readTree(event));
		}
		return nodes;
	}

	private static List<String> fieldNames(JsonNode node) {
		List<String> names = new ArrayList<>();
		node.fieldNames().forEachRemaining(names::add);
		return names;
	}

}
