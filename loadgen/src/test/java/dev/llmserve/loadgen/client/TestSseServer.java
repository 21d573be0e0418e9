package dev.llmserve.loadgen.client;

import java.time.Duration;

import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * An in-process server on a free loopback port that answers like vLLM does, or fails in
 * one chosen way, selected by a path prefix: {@code /ok}, {@code /slow}, {@code /busy},
 * {@code /broken}, {@code /error-event}, {@code /stall}, {@code /plain}.
 */
public final class TestSseServer implements AutoCloseable {

	static final String ROLE = "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n";

	static final String DONE = "data: [DONE]\n\n";

	private final DisposableServer server;

	public TestSseServer() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes
				.post("/ok/v1/chat/completions",
						(request, response) -> request.receive()
							.then()
							.thenMany(response.header("content-type", "text/event-stream").sendString(stream(3, 2))))
				.post("/slow/v1/chat/completions",
						(request, response) -> request.receive()
							.then()
							.thenMany(response.header("content-type", "text/event-stream").sendString(stream(5, 200))))
				.post("/busy/v1/chat/completions",
						(request, response) -> request.receive()
							.then()
							.thenMany(response.status(HttpResponseStatus.SERVICE_UNAVAILABLE)
								.sendString(Flux.just("{\"error\":{\"message\":\"no replica\"}}"))))
				.post("/broken/v1/chat/completions",
						(request, response) -> request.receive()
							.then()
							.thenMany(response.header("content-type", "text/event-stream")
								.sendString(Flux.just(ROLE, token(" a"))
									.concatWith(Flux.error(new IllegalStateException("replica died"))))))
				.post("/error-event/v1/chat/completions", (request, response) -> request.receive()
					.then()
					.thenMany(response.header("content-type", "text/event-stream")
						.sendString(Flux.just(ROLE, "data: {\"error\":{\"message\":\"engine failed\"}}\n\n", DONE))))
				.post("/stall/v1/chat/completions",
						(request, response) -> request.receive()
							.then()
							.thenMany(response.header("content-type", "text/event-stream")
								.sendString(Flux.just(ROLE).concatWith(Flux.never()))))
				.post("/plain/v1/chat/tinyllama",
						(request, response) -> request.receive()
							.then()
							.thenMany(response.header("content-type", "text/plain")
								.sendString(Flux.just(" Machine", " learning", " is", ".")
									.delayElements(Duration.ofMillis(2))))))
			.bindNow();
	}

	static Flux<String> stream(int tokens, long itlMillis) {
		Flux<String> body = Flux.range(0, tokens).map((i) -> token(" t" + i));
		String usage = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":" + tokens
				+ "}}\n\n";
		return Flux.just(ROLE)
			.concatWith(body.delayElements(Duration.ofMillis(itlMillis)))
			.concatWith(Flux.just(usage, DONE));
	}

	static String token(String text) {
		return "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"}}]}\n\n";
	}

	public String url(String prefix) {
		return "http://127.0.0.1:" + this.server.port() + prefix;
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
