package dev.llmserve.gateway.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.llmserve.gateway.support.FakeReplica;
import dev.llmserve.gateway.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens reach the client as they come, not when a buffer fills or the stream ends.
 */
class StreamingBodyIntegrationTests extends GatewayIntegrationTest {

	@Test
	void sendsEachTokenAtOnceWhileTheStreamStaysOpen() throws IOException {
		SOLO.behave((request) -> Flux.just(FakeReplica.token("Hel")).concatWith(Flux.never()));
		String body = "{\"model\":\"solo\",\"prompt\":\"Hi\",\"stream\":true}";
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			// A buffered first token would time this read out.
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /v1/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
					+ "Content-Length: " + body.length() + "\r\n\r\n" + body)
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			assertThat(readUntil(socket.getInputStream(), "\"text\":\"Hel\"")).startsWith("HTTP/1.1 200")
				.doesNotContain("[DONE]");
		}
	}

	private static String readUntil(InputStream in, String expected) throws IOException {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		byte[] buffer = new byte[4096];
		int read;
		while (!received.toString(StandardCharsets.UTF_8).contains(expected) && (read = in.read(buffer)) != -1) {
			received.write(buffer, 0, read);
		}
		return received.toString(StandardCharsets.UTF_8);
	}

}
