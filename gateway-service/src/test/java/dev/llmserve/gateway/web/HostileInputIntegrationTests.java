package dev.llmserve.gateway.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmserve.gateway.support.GatewayIntegrationTest;
import dev.llmserve.gateway.support.RawHttpClient;
import dev.llmserve.gateway.support.RawHttpClient.Response;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A corpus of malformed and hostile requests, sent as raw bytes over real HTTP: every one
 * must get a 4xx in OpenAI's error shape, promptly, and none may reach a replica.
 * Afterwards the gateway must still be healthy and serve a normal stream.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIntegrationTests extends GatewayIntegrationTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** Longer than the request timeout of the test setup (2 s): a hang fails the case. */
	private static final Duration PER_REQUEST = Duration.ofSeconds(10);

	private static final String CHAT = "/v1/chat/completions";

	private static final String COMPLETIONS = "/v1/completions";

	private static final String PLAIN = "/v1/chat/solo";

	private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";

	private static final List<String> WRONG_VALUES = List.of("1", "-1", "0", "1.5", "-0.5", "1e400", "-1e400",
			"99999999999999999999999999", "\"\"", "\"text\"", "true", "false", "[]", "[1]", "[\"a\",\"b\"]", "{}",
			"{\"a\":1}", "[[]]", "[null]");

	@ParameterizedTest(name = "[{index}] {0}")
	@MethodSource("corpus")
	@Order(1)
	void answersEveryHostileRequestWithAnOpenAiShaped4xx(String name, byte[] request) throws IOException {
		Response response;
		try {
			response = RawHttpClient.exchange(this.port, request, PER_REQUEST);
		}
		catch (IOException ex) {
			throw new AssertionError(name + ": no answer (" + ex + ")", ex);
		}

		assertThat(response.status()).as("status of %s", name).isBetween(400, 499);
		assertThat(response.headers().get("content-type")).as("content type of %s (status %d)", name, response.status())
			.startsWith("application/json");
		JsonNode body = JSON.readTree(response.body());
		assertThat(fieldNames(body)).containsExactly("error");
		JsonNode error = body.get("error");
		assertThat(fieldNames(error)).containsExactly("message", "type", "param", "code");
		assertThat(error.get("message").isTextual()).isTrue();
		assertThat(error.get("message").asText()).isNotBlank();
		assertThat(error.get("type").asText()).endsWith("Error");
		assertThat(error.get("param").isTextual() || error.get("param").isNull()).isTrue();
		assertThat(error.get("code").asInt()).isEqualTo(response.status());
		assertThat(A.requests()).isEmpty();
		assertThat(B.requests()).isEmpty();
		assertThat(SOLO.requests()).as("requests that reached a replica").isEmpty();
	}

	@Test
	@Order(2)
	void corpusHoldsAtLeastTwoHundredRequests() {
		assertThat(corpus().count()).isGreaterThanOrEqualTo(200);
	}

	@Test
	@Order(3)
	void gatewayIsHealthyAndStreamsAfterTheCorpus() throws IOException {
		Response health = RawHttpClient.exchange(this.port, RawHttpClient
			.request("GET /actuator/health/readiness HTTP/1.1\nHost: x\nConnection: close", new byte[0]), PER_REQUEST);
		assertThat(health.status()).isEqualTo(200);
		Response stream = RawHttpClient.exchange(this.port,
				json(CHAT, "{\"model\":\"solo\"," + MESSAGES + ",\"stream\":true}"), PER_REQUEST);
		assertThat(stream.status()).isEqualTo(200);
		assertThat(stream.headers().get("content-type")).startsWith("text/event-stream");
		assertThat(stream.body()).contains("\"content\":\"Hello\"").endsWith("data: [DONE]\n\n");
	}

	static Stream<Arguments> corpus() {
		Map<String, byte[]> cases = new LinkedHashMap<>();
		brokenJson(cases);
		deepNesting(cases);
		wrongTypes(cases);
		badMessages(cases);
		unknownFieldsAndModels(cases);
		hugeBodies(cases);
		invalidUtf8(cases);
		oddContentTypes(cases);
		oddHttp(cases);
		plainEndpoint(cases);
		return cases.entrySet().stream().map((entry) -> Arguments.of(entry.getKey(), entry.getValue()));
	}

	private static void brokenJson(Map<String, byte[]> cases) {
		List<String> bodies = List.of("", " ", "{", "}", "[", "nul", "null", "[]", "\"solo\"", "42", "true",
				"{\"model\":", "{\"model\":\"solo\",}", "{'model':'solo'}", "{\"model\":\"solo\" \"prompt\":\"x\"}",
				"{\"model\":\"solo\",\"prompt\":\"x\"}}", "{\"model\":\"solo\",\"prompt\":\"x\"} {}", "{\"model\":NaN}",
				"{\"model\":\"solo\",\"prompt\":\"\\x\"}", "{\"model\":\"solo\",\"prompt\":\"open}",
				"/* c */{\"model\":\"solo\"}", "{\"model\":\"solo\",\"max_tokens\":01}",
				"{\"model\":\"solo\",\"max_tokens\":+1}", "{\"model\":\"solo\",\"temperature\":.5}",
				"{\"model\":\"solo\",\"prompt\":\"\\u12\"}", "{\"model\":\"solo\",\"prompt\":\"a\u0001b\"}",
				"{\"model\":\"solo\",\"temperature\":Infinity}", "\uFEFF{\"model\":\"solo\",\"prompt\":\"x\"}",
				"{\"model\":\"solo\",\"prompt\":\"x\",\"model\":\"tinyllama\"}", "{\"model\" \"solo\"}",
				"{model:\"solo\"}", "{\"model\":\"solo\",\"prompt\":[\"x\"}");
		for (String path : List.of(CHAT, COMPLETIONS)) {
			for (String body : bodies) {
				cases.put("broken JSON " + path + " " + shorten(body), json(path, body));
			}
		}
	}

	private static void deepNesting(Map<String, byte[]> cases) {
		cases.put("100k nested arrays (over the size limit too)", json(CHAT, "[".repeat(100_000)));
		cases.put("60k nested arrays", json(CHAT, "[".repeat(60_000)));
		cases.put("30k nested arrays, closed", json(COMPLETIONS, "[".repeat(30_000) + "]".repeat(30_000)));
		cases.put("12k nested objects", json(CHAT, "{\"a\":".repeat(12_000)));
		cases.put("1500 nested arrays in content",
				json(CHAT, "{\"model\":\"solo\",\"messages\":[{\"role\":\"user\",\"content\":" + "[".repeat(1500)
						+ "]".repeat(1500) + "}]}"));
		cases.put("999 nested arrays as prompt",
				json(COMPLETIONS, "{\"model\":\"solo\",\"prompt\":" + "[".repeat(990) + "]".repeat(990) + "}"));
		cases.put("deep nesting in an unknown field", json(COMPLETIONS,
				"{\"model\":\"solo\",\"prompt\":\"x\",\"x\":" + "[".repeat(900) + "]".repeat(900) + "}"));
	}

	/** Every field the gateway reads, with every value of the wrong type or range. */
	private static void wrongTypes(Map<String, byte[]> cases) {
		Map<String, Predicate<String>> fields = new LinkedHashMap<>();
		fields.put("model", (value) -> value.startsWith("\"") && value.length() > 2);
		fields.put("max_tokens", "1"::equals);
		fields.put("max_completion_tokens", "1"::equals);
		fields.put("temperature", List.of("1", "0", "1.5")::contains);
		fields.put("top_p", "1"::equals);
		fields.put("stop", (value) -> value.startsWith("\"") || value.equals("[]") || value.equals("[\"a\",\"b\"]"));
		fields.put("seed", List.of("1", "-1", "0")::contains);
		fields.put("n", "1"::equals);
		fields.put("user", (value) -> value.startsWith("\""));
		fields.put("ignore_eos", List.of("true", "false")::contains);
		fields.put("stream", List.of("true", "false")::contains);
		fields.put("stream_options", (value) -> false);
		for (Map.Entry<String, Predicate<String>> field : fields.entrySet()) {
			for (String value : WRONG_VALUES) {
				if (field.getValue().test(value)) {
					continue;
				}
				String name = field.getKey();
				String model = name.equals("model") ? "" : "\"model\":\"solo\",";
				cases.put("chat " + name + "=" + value,
						json(CHAT, "{" + model + MESSAGES + "," + pair(name, value) + "}"));
				cases.put("completion " + name + "=" + value,
						json(COMPLETIONS, "{" + model + "\"prompt\":\"x\"," + pair(name, value) + "}"));
			}
		}
		for (String value : WRONG_VALUES) {
			if (value.equals("\"text\"")) {
				continue;
			}
			cases.put("completion prompt=" + value, json(COMPLETIONS, "{\"model\":\"solo\",\"prompt\":" + value + "}"));
			cases.put("chat messages=" + value, json(CHAT, "{\"model\":\"solo\",\"messages\":" + value + "}"));
		}
		for (String value : List.of("0", "-1", "2147483648", "1e9", "-2147483648", "0.0")) {
			cases.put("completion max_tokens=" + value,
					json(COMPLETIONS, "{\"model\":\"solo\",\"prompt\":\"x\",\"max_tokens\":" + value + "}"));
		}
		for (String value : List.of("2.0001", "-0.0001", "3", "1e10")) {
			cases.put("completion temperature=" + value,
					json(COMPLETIONS, "{\"model\":\"solo\",\"prompt\":\"x\",\"temperature\":" + value + "}"));
		}
		for (String value : List.of("0", "1.0001", "-0.5", "2")) {
			cases.put("completion top_p=" + value,
					json(COMPLETIONS, "{\"model\":\"solo\",\"prompt\":\"x\",\"top_p\":" + value + "}"));
		}
		cases.put("stream_options without stream",
				json(CHAT, "{\"model\":\"solo\"," + MESSAGES + ",\"stream_options\":{\"include_usage\":true}}"));
		cases.put("stream_options.include_usage a string", json(CHAT, "{\"model\":\"solo\"," + MESSAGES
				+ ",\"stream\":true,\"stream_options\":{\"include_usage\":\"yes\"}}"));
		cases.put("model null", json(CHAT, "{\"model\":null," + MESSAGES + "}"));
		cases.put("messages null", json(CHAT, "{\"model\":\"solo\",\"messages\":null}"));
		cases.put("prompt null", json(COMPLETIONS, "{\"model\":\"solo\",\"prompt\":null}"));
		cases.put("everything null", json(CHAT, "{\"model\":null,\"messages\":null,\"max_tokens\":null}"));
	}

	private static void badMessages(Map<String, byte[]> cases) {
		List<String> messages = List.of("[{}]", "[null]", "[{\"role\":\"user\"}]", "[{\"content\":\"Hi\"}]",
				"[{\"role\":\"robot\",\"content\":\"Hi\"}]", "[{\"role\":\"\",\"content\":\"Hi\"}]",
				"[{\"role\":\"USER\",\"content\":\"Hi\"}]", "[{\"role\":1,\"content\":\"Hi\"}]",
				"[{\"role\":true,\"content\":\"Hi\"}]", "[{\"role\":[\"user\"],\"content\":\"Hi\"}]",
				"[{\"role\":{\"name\":\"user\"},\"content\":\"Hi\"}]", "[{\"role\":null,\"content\":\"Hi\"}]",
				"[{\"role\":\"user\",\"content\":null}]", "[{\"role\":\"user\",\"content\":1}]",
				"[{\"role\":\"user\",\"content\":true}]", "[{\"role\":\"user\",\"content\":{\"text\":\"Hi\"}}]",
				"[{\"role\":\"user\",\"content\":[1]}]", "[{\"role\":\"user\",\"content\":[\"Hi\"]}]",
				"[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}}]}]",
				"[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]",
				"[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":1}]}]",
				"[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}]",
				"[{\"role\":\"user\",\"content\":[{\"type\":1,\"text\":\"Hi\"}]}]",
				"[{\"role\":\"user\",\"content\":[null]}]", "[{\"role\":\"user\",\"content\":\"Hi\"},5]",
				"[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"system\"}]", "[[{\"role\":\"user\"}]]",
				"[\"user: Hi\"]");
		for (String value : messages) {
			cases.put("chat messages " + shorten(value), json(CHAT, "{\"model\":\"solo\",\"messages\":" + value + "}"));
		}
	}

	private static void unknownFieldsAndModels(Map<String, byte[]> cases) {
		List<String> fields = List.of("\"foo\":1", "\"max_token\":5", "\"prompt\":\"x\"", "\"frequency_penalty\":0.5",
				"\"presence_penalty\":-1", "\"logit_bias\":{\"1\":5}", "\"tools\":[{\"type\":\"function\"}]",
				"\"logprobs\":true", "\"top_logprobs\":3", "\"response_format\":{\"type\":\"json_object\"}",
				"\"tool_choice\":\"required\"", "\"\":1", "\"" + "k".repeat(5000) + "\":1",
				"\"__proto__\":{\"admin\":true}", "\"Model\":\"solo\"");
		for (String field : fields) {
			cases.put("chat unknown " + shorten(field),
					json(CHAT, "{\"model\":\"solo\"," + MESSAGES + "," + field + "}"));
		}
		for (String field : List.of("\"messages\":[]", "\"echo\":true", "\"best_of\":3", "\"suffix\":\"x\"",
				"\"foo\":null,\"bar\":2")) {
			cases.put("completion unknown " + field,
					json(COMPLETIONS, "{\"model\":\"solo\",\"prompt\":\"x\"," + field + "}"));
		}
		List<String> models = List.of("nope", "../../etc/passwd", "SOLO", " solo", "solo ", "solo\\u0000",
				"\\u202esolo", "m".repeat(10_000), "tinyllama/../solo", "*", "%2e%2e");
		for (String model : models) {
			cases.put("chat model " + shorten(model), json(CHAT, "{\"model\":\"" + model + "\"," + MESSAGES + "}"));
			cases.put("completion model " + shorten(model),
					json(COMPLETIONS, "{\"model\":\"" + model + "\",\"prompt\":\"x\"}"));
		}
	}

	private static void hugeBodies(Map<String, byte[]> cases) {
		String big = "{\"model\":\"solo\",\"prompt\":\"" + "x".repeat(70_000) + "\"}";
		cases.put("70 KB body with Content-Length", json(COMPLETIONS, big));
		cases.put("70 KB chat body", json(CHAT,
				"{\"model\":\"solo\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "y".repeat(70_000) + "\"}]}"));
		cases.put("70 KB chunked body", chunked(COMPLETIONS, "application/json", big.getBytes(StandardCharsets.UTF_8)));
		cases.put("Content-Length of a terabyte", RawHttpClient.request("POST " + COMPLETIONS
				+ " HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 1000000000000\nConnection: close",
				"{}".getBytes(StandardCharsets.UTF_8)));
		cases.put("70 KB of whitespace", json(CHAT, " ".repeat(70_000) + "{}"));
		cases.put("70 KB of messages", json(CHAT, "{\"model\":\"solo\",\"messages\":["
				+ "{\"role\":\"user\",\"content\":\"Hi\"},".repeat(2500) + "{\"role\":\"user\",\"content\":\"Hi\"}]}"));
	}

	private static void invalidUtf8(Map<String, byte[]> cases) {
		Map<String, byte[]> sequences = new LinkedHashMap<>();
		sequences.put("lone continuation byte", new byte[] { (byte) 0x80 });
		sequences.put("overlong slash", new byte[] { (byte) 0xC0, (byte) 0xAF });
		sequences.put("truncated 3-byte sequence", new byte[] { (byte) 0xE2, (byte) 0x82 });
		sequences.put("0xFF", new byte[] { (byte) 0xFF });
		sequences.put("encoded surrogate", new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 });
		sequences.put("beyond U+10FFFF", new byte[] { (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80 });
		sequences.put("Latin-1 e-acute", new byte[] { (byte) 0xE9 });
		for (Map.Entry<String, byte[]> sequence : sequences.entrySet()) {
			byte[] bad = sequence.getValue();
			cases.put("invalid UTF-8 in prompt: " + sequence.getKey(),
					post(COMPLETIONS, "application/json", concat("{\"model\":\"solo\",\"prompt\":\"", bad, "\"}")));
			cases.put("invalid UTF-8 in content: " + sequence.getKey(), post(CHAT, "application/json",
					concat("{\"model\":\"solo\",\"messages\":[{\"role\":\"user\",\"content\":\"", bad, "\"}]}")));
			cases.put("invalid UTF-8 in a key: " + sequence.getKey(),
					post(COMPLETIONS, "application/json", concat("{\"model\":\"solo\",\"", bad, "\":1}")));
			cases.put("invalid UTF-8 in plain prompt: " + sequence.getKey(),
					post(PLAIN, "text/plain", concat("Hello ", bad, " world")));
		}
		cases.put("UTF-16 body", post(CHAT, "application/json",
				("{\"model\":\"solo\"," + MESSAGES + "}").getBytes(StandardCharsets.UTF_16)));
	}

	private static void oddContentTypes(Map<String, byte[]> cases) {
		byte[] chat = ("{\"model\":\"solo\"," + MESSAGES + "}").getBytes(StandardCharsets.UTF_8);
		byte[] completion = "{\"model\":\"solo\",\"prompt\":\"x\"}".getBytes(StandardCharsets.UTF_8);
		List<String> types = List.of("text/plain", "text/html", "application/xml", "application/x-www-form-urlencoded",
				"multipart/form-data; boundary=xyz", "application/octet-stream", "application/json; charset=utf-16",
				"application/json; charset=latin1", "application/json; charset=bogus", "application/", "json", ";;;",
				"application/json; charset", "*/*", "image/png", "text/event-stream");
		for (String type : types) {
			cases.put("chat with Content-Type " + type, post(CHAT, type, chat));
			cases.put("completion with Content-Type " + type, post(COMPLETIONS, type, completion));
		}
		cases.put("multipart body",
				post(CHAT, "multipart/form-data; boundary=xyz",
						("--xyz\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nsolo\r\n--xyz--\r\n")
							.getBytes(StandardCharsets.UTF_8)));
		cases.put("form body", post(COMPLETIONS, "application/x-www-form-urlencoded",
				"model=solo&prompt=x".getBytes(StandardCharsets.UTF_8)));
		cases.put("gzip-encoded body",
				RawHttpClient.request("POST " + CHAT + " HTTP/1.1\nHost: x\n"
						+ "Content-Type: application/json\nContent-Encoding: gzip\nContent-Length: " + gzip(chat).length
						+ "\nConnection: close", gzip(chat)));
		cases.put("Content-Encoding br on a plain body",
				RawHttpClient.request("POST " + COMPLETIONS
						+ " HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Encoding: br\nContent-Length: "
						+ completion.length + "\nConnection: close", completion));
		cases.put("two conflicting Content-Types", RawHttpClient.request("POST " + CHAT
				+ " HTTP/1.1\nHost: x\nContent-Type: text/plain\nContent-Type: application/json\nContent-Length: "
				+ chat.length + "\nConnection: close", chat));
	}

	private static void oddHttp(Map<String, byte[]> cases) {
		byte[] completion = "{\"model\":\"solo\",\"prompt\":\"x\"}".getBytes(StandardCharsets.UTF_8);
		String head = "POST " + COMPLETIONS + " HTTP/1.1\nHost: x\nContent-Type: application/json\nConnection: close";
		cases.put("header line without a colon",
				RawHttpClient.request(head + "\nContent-Length: " + completion.length + "\nNoColonHere", completion));
		cases.put("header name with a space",
				RawHttpClient.request(head + "\nContent-Length: " + completion.length + "\nBad Name: 1", completion));
		cases.put("header with a NUL",
				RawHttpClient.request(head + "\nContent-Length: " + completion.length + "\nX-A: a\u0000b", completion));
		cases.put("two different Content-Lengths", RawHttpClient
			.request(head + "\nContent-Length: " + completion.length + "\nContent-Length: 5", completion));
		cases.put("negative Content-Length", RawHttpClient.request(head + "\nContent-Length: -1", completion));
		cases.put("non-numeric Content-Length", RawHttpClient.request(head + "\nContent-Length: abc", completion));
		cases.put("Content-Length longer than the body (never completes)",
				RawHttpClient.request(head + "\nContent-Length: 500", completion));
		cases.put("chunk size not hex", RawHttpClient.request(head + "\nTransfer-Encoding: chunked",
				"zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
		cases.put("chunked body that never ends", RawHttpClient.request(head + "\nTransfer-Encoding: chunked",
				"5\r\n{\"mod\r\n".getBytes(StandardCharsets.US_ASCII)));
		cases.put("chunk longer than announced", RawHttpClient.request(head + "\nTransfer-Encoding: chunked",
				"2\r\n{\"model\":1}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
		cases.put("chunked and Content-Length, broken JSON",
				RawHttpClient.request(head + "\nTransfer-Encoding: chunked\nContent-Length: 3",
						"3\r\n{\"m\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
		cases.put("unknown transfer coding", RawHttpClient.request(head + "\nTransfer-Encoding: gzip", completion));
		cases.put("10 KB header", RawHttpClient
			.request(head + "\nContent-Length: " + completion.length + "\nX-Big: " + "b".repeat(10_000), completion));
		StringBuilder many = new StringBuilder(head).append("\nContent-Length: ").append(completion.length);
		for (int i = 0; i < 1000; i++) {
			many.append("\nX-Header-").append(i).append(": value");
		}
		cases.put("1000 headers", RawHttpClient.request(many.toString(), completion));
		cases.put("5000-character URI",
				RawHttpClient.request("POST " + COMPLETIONS + "?" + "q".repeat(5000)
						+ " HTTP/1.1\nHost: x\nContent-Type: application/json\nConnection: close\nContent-Length: "
						+ completion.length, completion));
		cases.put("HTTP/9.9", RawHttpClient
			.request(head.replace("HTTP/1.1", "HTTP/9.9") + "\nContent-Length: " + completion.length, completion));
		cases.put("garbage request line", RawHttpClient.request("hello\nConnection: close", new byte[0]));
		cases.put("request line of one word", RawHttpClient.request("POST\nHost: x", new byte[0]));
		cases.put("lower-case method", RawHttpClient
			.request(head.replace("POST", "post") + "\nContent-Length: " + completion.length, completion));
		cases.put("unknown method", RawHttpClient
			.request(head.replace("POST", "BREW") + "\nContent-Length: " + completion.length, completion));
		cases.put("GET on completions",
				RawHttpClient.request("GET " + COMPLETIONS + " HTTP/1.1\nHost: x\nConnection: close", new byte[0]));
		cases.put("DELETE on chat",
				RawHttpClient.request("DELETE " + CHAT + " HTTP/1.1\nHost: x\nConnection: close", new byte[0]));
		cases.put("PUT on plain",
				RawHttpClient.request("PUT " + PLAIN + " HTTP/1.1\nHost: x\nConnection: close\nContent-Length: 2",
						"hi".getBytes(StandardCharsets.US_ASCII)));
		cases.put("bad percent-encoding in the path",
				RawHttpClient.request(
						"POST /v1/chat/%zz HTTP/1.1\nHost: x\n"
								+ "Content-Type: text/plain\nConnection: close\nContent-Length: 2",
						"hi".getBytes(StandardCharsets.US_ASCII)));
		cases.put("bad percent-encoding in the query",
				RawHttpClient.request(
						head.replace(COMPLETIONS, COMPLETIONS + "?x=%") + "\nContent-Length: " + completion.length,
						completion));
		cases.put("unknown path", RawHttpClient
			.request(head.replace(COMPLETIONS, "/v1/complete") + "\nContent-Length: " + completion.length, completion));
		cases.put("path traversal",
				RawHttpClient.request(
						head.replace(COMPLETIONS, "/v1/../../etc/passwd") + "\nContent-Length: " + completion.length,
						completion));
		cases.put("encoded slash in the deployment",
				RawHttpClient.request(
						"POST /v1/chat/..%2F..%2Fsolo HTTP/1.1\n"
								+ "Host: x\nContent-Type: text/plain\nConnection: close\nContent-Length: 2",
						"hi".getBytes(StandardCharsets.US_ASCII)));
		cases.put("Host with a space",
				RawHttpClient.request(head.replace("Host: x", "Host: a b") + "\nContent-Length: " + completion.length,
						"{}".getBytes(StandardCharsets.US_ASCII)));
		cases.put("Host with a bad port",
				RawHttpClient.request(head.replace("Host: x", "Host: x:99999999") + "\nContent-Length: 2",
						"{}".getBytes(StandardCharsets.US_ASCII)));
		cases.put("two Hosts, empty body", RawHttpClient.request(head + "\nHost: y\nContent-Length: 0", new byte[0]));
		cases.put("X-Request-Id of 10 KB, bad body",
				RawHttpClient.request(head + "\nX-Request-Id: " + "r".repeat(7000) + "\nContent-Length: 2",
						"{}".getBytes(StandardCharsets.US_ASCII)));
		cases.put("X-Request-Id with control characters, bad body", RawHttpClient
			.request(head + "\nX-Request-Id: a\u0001b\nContent-Length: 2", "{}".getBytes(StandardCharsets.US_ASCII)));
		cases.put("Expect: 100-continue, bad body", RawHttpClient
			.request(head + "\nExpect: 100-continue\nContent-Length: 2", "{}".getBytes(StandardCharsets.US_ASCII)));
		cases.put("Expect: 100-continue over the limit",
				RawHttpClient.request(head + "\nExpect: 100-continue\nContent-Length: 10000000", new byte[0]));
	}

	private static void plainEndpoint(Map<String, byte[]> cases) {
		cases.put("plain empty body", post(PLAIN, "text/plain", new byte[0]));
		cases.put("plain JSON content type",
				post(PLAIN, "application/json", "{\"x\":1}".getBytes(StandardCharsets.UTF_8)));
		cases.put("plain 70 KB", post(PLAIN, "text/plain", "z".repeat(70_000).getBytes(StandardCharsets.UTF_8)));
		cases.put("plain unknown deployment",
				post("/v1/chat/nope", "text/plain", "Hi".getBytes(StandardCharsets.UTF_8)));
		cases.put("plain deployment with spaces",
				post("/v1/chat/a%20b", "text/plain", "Hi".getBytes(StandardCharsets.UTF_8)));
		cases.put("plain deployment NUL", post("/v1/chat/%00", "text/plain", "Hi".getBytes(StandardCharsets.UTF_8)));
		cases.put("plain empty deployment", post("/v1/chat/", "text/plain", "Hi".getBytes(StandardCharsets.UTF_8)));
		cases.put("plain charset utf-16",
				post(PLAIN, "text/plain; charset=utf-16", "Hi".getBytes(StandardCharsets.UTF_16)));
		cases.put("plain multipart",
				post(PLAIN, "multipart/form-data; boundary=b", "--b--".getBytes(StandardCharsets.UTF_8)));
		cases.put("plain gzip",
				RawHttpClient.request(
						"POST " + PLAIN + " HTTP/1.1\nHost: x\nContent-Type: text/plain\n"
								+ "Content-Encoding: gzip\nContent-Length: "
								+ gzip("Hi".getBytes(StandardCharsets.UTF_8)).length + "\nConnection: close",
						gzip("Hi".getBytes(StandardCharsets.UTF_8))));
		cases.put("plain chunked over the limit",
				chunked(PLAIN, "text/plain", "w".repeat(70_000).getBytes(StandardCharsets.UTF_8)));
	}

	private static String pair(String name, String value) {
		return "\"" + name + "\":" + value;
	}

	private static byte[] json(String path, String body) {
		return post(path, "application/json", body.getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] post(String path, String contentType, byte[] body) {
		return RawHttpClient.request("POST " + path + " HTTP/1.1\nHost: 127.0.0.1\nContent-Type: " + contentType
				+ "\nContent-Length: " + body.length + "\nConnection: close", body);
	}

	private static byte[] chunked(String path, String contentType, byte[] body) {
		ByteArrayOutputStream chunks = new ByteArrayOutputStream();
		for (int start = 0; start < body.length; start += 4096) {
			int size = Math.min(4096, body.length - start);
			chunks.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
			chunks.write(body, start, size);
			chunks.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		chunks.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		return RawHttpClient.request("POST " + path + " HTTP/1.1\nHost: 127.0.0.1\nContent-Type: " + contentType
				+ "\nTransfer-Encoding: chunked\nConnection: close", chunks.toByteArray());
	}

	private static byte[] concat(String before, byte[] middle, String after) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
		out.writeBytes(middle);
		out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
		return out.toByteArray();
	}

	private static byte[] gzip(byte[] data) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
			gzip.write(data);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	private static String shorten(String text) {
		String oneLine = text.replaceAll("\\p{Cntrl}", "?");
		return (oneLine.length() <= 60) ? oneLine : oneLine.substring(0, 60) + "...";
	}

	private static List<String> fieldNames(JsonNode node) {
		List<String> names = new ArrayList<>();
		node.fieldNames().forEachRemaining(names::add);
		return names;
	}

}
