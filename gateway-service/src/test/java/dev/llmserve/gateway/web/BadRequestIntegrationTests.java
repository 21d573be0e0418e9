package dev.llmserve.gateway.web;

import java.nio.charset.StandardCharsets;

import dev.llmserve.gateway.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

class BadRequestIntegrationTests extends GatewayIntegrationTest {

	@Test
	void rejectsMalformedJson() {
		post("{\"model\": \"solo\",").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("BadRequestError")
			.jsonPath("$.error.message")
			.value((message) -> assertThat((String) message).startsWith("Request body is not valid JSON: "));
	}

	@Test
	void rejectsTrailingGarbageAfterTheJson() {
		post("{\"model\":\"solo\",\"prompt\":\"x\"} {}").expectStatus().isBadRequest();
	}

	@Test
	void rejectsInvalidUtf8() {
		byte[] body = "{\"model\":\"solo\",\"prompt\":\"\0\"}".getBytes(StandardCharsets.UTF_8);
		body[body.length - 3] = (byte) 0xC3;
		client().post()
			.uri("/v1/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("Request body is not valid UTF-8 (expected: UTF-8 text)");
	}

	@Test
	void rejectsAFieldOfTheWrongTypeNamingIt() {
		post("{\"model\":\"solo\",\"prompt\":\"x\",\"max_tokens\":\"x\"}").expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"error\":{\"message\":\"max_tokens: \\\"x\\\" (expected: an integer)\",\"type\":\"BadRequestError\","
					+ "\"param\":\"max_tokens\",\"code\":400}}", true);
	}

	@Test
	void rejectsANonPositiveMaxTokens() {
		post("{\"model\":\"solo\",\"prompt\":\"x\",\"max_tokens\":-1}").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("max_tokens: -1 (expected: > 0)");
	}

	@Test
	void rejectsAnEmptyBody() {
		client().post()
			.uri("/v1/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("Request body is empty (expected: a JSON object)");
	}

	@Test
	void rejectsABodyOverTheLimitByItsLength() {
		post("{\"model\":\"solo\",\"prompt\":\"" + "x".repeat(70_000) + "\"}").expectStatus()
			.isEqualTo(413)
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("Request body is too large (expected: at most 65536 bytes)");
	}

	@Test
	void rejectsAChunkedBodyOverTheLimitAsItArrives() {
		Flux<String> chunks = Flux.range(0, 80).map((i) -> (i == 0) ? "{\"prompt\":\"" : "x".repeat(1000));
		client().post()
			.uri("/v1/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.body(chunks, String.class)
			.exchange()
			.expectStatus()
			.isEqualTo(413);
	}

	@Test
	void rejectsAnotherContentType() {
		client().post()
			.uri("/v1/chat/completions")
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isEqualTo(415)
			.expectBody()
			.json("{\"error\":{\"message\":\"Content-Type: text/plain (expected: application/json)\","
					+ "\"type\":\"UnsupportedMediaTypeError\",\"param\":null,\"code\":415}}", true);
	}

	@Test
	void rejectsTheWrongMethodListingTheAllowedOne() {
		client().get()
			.uri("/v1/chat/completions")
			.exchange()
			.expectStatus()
			.isEqualTo(405)
			.expectHeader()
			.valueEquals("Allow", "POST")
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("Method GET is not allowed for /v1/chat/completions (expected: POST)");
		client().delete().uri("/v1/models").exchange().expectStatus().isEqualTo(405);
		client().get().uri("/v1/chat/tinyllama").exchange().expectStatus().isEqualTo(405);
	}

	@Test
	void answersAnUnknownPathWithNotFoundInOpenAisShape() {
		client().post()
			.uri("/v1/nope")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.json("{\"error\":{\"message\":\"No route for POST /v1/nope\",\"type\":\"NotFoundError\",\"param\":null,"
					+ "\"code\":404}}", true);
	}

	@Test
	void rejectsMoreThanOneChoice() {
		post("{\"model\":\"solo\",\"prompt\":\"x\",\"n\":2}").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.param")
			.isEqualTo("n");
	}

	@Test
	void echoesTheRequestIdOnErrors() {
		client().post()
			.uri("/v1/completions")
			.header("X-Request-Id", "bad-1")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.valueEquals("X-Request-Id", "bad-1");
	}

	private WebTestClient.ResponseSpec post(String json) {
		return client().post()
			.uri("/v1/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(json)
			.exchange();
	}

}
