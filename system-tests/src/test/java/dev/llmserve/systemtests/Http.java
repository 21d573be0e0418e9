package dev.llmserve.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Small JSON-over-HTTP helpers on the JDK client, for admin APIs and probes. */
final class Http {

	private static final ObjectMapper JSON = new ObjectMapper();

	private Http() {
	}

	record Response(int status, String body) {

		JsonNode json() throws IOException {
			return JSON.readTree(this.body);
		}

	}

	static Response send(String method, URI uri, String json) throws IOException, InterruptedException {
		HttpRequest.BodyPublisher body = (json != null) ? HttpRequest.BodyPublishers.ofString(json)
				: HttpRequest.BodyPublishers.noBody();
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.method(method, body)
			.build();
		HttpResponse<String> response = ServiceProcess.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		return new Response(response.statusCode(), response.body());
	}

	static boolean isOk(URI uri) {
		try {
			return send("GET", uri, null).status() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	static void awaitOk(URI uri, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (isOk(uri)) {
				return;
			}
			Thread.sleep(100);
		}
		throw new IllegalStateException(uri + " did not answer 200 within " + timeout);
	}

}
