package dev.llmserve.gateway.plain;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.llmserve.gateway.support.FakeReplica;
import dev.llmserve.gateway.support.GatewayIntegrationTest;
import dev.llmserve.proto.ChatMessage;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

class PlainChatIntegrationTests extends GatewayIntegrationTest {

	@Test
	void streamsJustTheGeneratedTextForAPlainPrompt() {
		client().post()
			.uri("/v1/chat/tinyllama")
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("What is machine learning?")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("Content-Type", "text/plain;charset=UTF-8")
			.expectBody(String.class)
			.isEqualTo("Hello world");
		ChatMessage sent = ChatMessage.newBuilder().setRole("user").setContent("What is machine learning?").build();
		assertThat(A.requests().size() + B.requests().size()).isOne();
		assertThat(A.requests().isEmpty() ? B.requests().get(0) : A.requests().get(0)).satisfies((request) -> {
			assertThat(request.getDeployment()).isEqualTo("tinyllama");
			assertThat(request.getChat().getMessagesList()).containsExactly(sent);
		});
	}

	@Test
	void writesEachDeltaAsItsOwnChunk() throws IOException {
		SOLO.behave((request) -> FakeReplica.tokens("A", "B", "C"));
		String response = exchangeRaw("solo");
		assertThat(response).startsWith("HTTP/1.1 200 OK")
			.containsIgnoringCase("transfer-encoding: chunked")
			.endsWith("\r\n\r\n1\r\nA\r\n1\r\nB\r\n1\r\nC\r\n0\r\n\r\n");
	}

	@Test
	void cutsTheConnectionWithoutTheLastChunkWhenTheReplicaFailsAfterTheFirstByte() throws IOException {
		SOLO.behave((request) -> Flux.just(FakeReplica.token("Hel"))
			.concatWith(Mono.delay(Duration.ofMillis(200))
				.then(Mono.error(Status.INTERNAL.withDescription("engine crashed").asRuntimeException()))));
		String response = exchangeRaw("solo");
		assertThat(response).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\n3\r\nHel\r\n");
	}

	@Test
	void answersAnErrorStatusWhenTheReplicaFailsBeforeTheFirstByte() {
		plain("ghost", "Hi").expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.error.type")
			.isEqualTo("ServiceUnavailableError");
	}

	@Test
	void answersNotFoundForAnUnknownDeployment() {
		plain("foo", "Hi").expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("The model `foo` does not exist.");
	}

	@Test
	void rejectsAnEmptyPrompt() {
		client().post()
			.uri("/v1/chat/tinyllama")
			.contentType(MediaType.TEXT_PLAIN)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("Request body is empty (expected: the prompt as text/plain)");
	}

	@Test
	void rejectsABodyThatIsNotPlainText() {
		client().post()
			.uri("/v1/chat/tinyllama")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isEqualTo(415)
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("Content-Type: application/json (expected: text/plain)");
	}

	private WebTestClient.ResponseSpec plain(String deployment, String prompt) {
		return client().post()
			.uri("/v1/chat/" + deployment)
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue(prompt)
			.exchange();
	}

	/**
	 * The response exactly as it came off the wire, up to the server closing or finishing
	 * it.
	 */
	private String exchangeRaw(String deployment) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout((int) TIMEOUT.toMillis());
			byte[] prompt = "Hi".getBytes(StandardCharsets.UTF_8);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /v1/chat/" + deployment + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
					+ "Content-Length: " + prompt.length + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.write(prompt);
			out.flush();
			return readUntilClosedOrComplete(socket.getInputStream());
		}
	}

	private static String readUntilClosedOrComplete(InputStream in) throws IOException {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		byte[] buffer = new byte[4096];
		int read;
		while ((read = in.read(buffer)) != -1) {
			received.write(buffer, 0, read);
			if (received.toString(StandardCharsets.UTF_8).endsWith("\r\n0\r\n\r\n")) {
				break;
			}
		}
		return received.toString(StandardCharsets.UTF_8);
	}

}
