package dev.llmserve.gateway.web;

import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.web.reactive.function.BodyInserter;

/**
 * A response body written as it is produced: each string becomes one HTTP chunk, flushed
 * at once. The response is committed only with the first string, so a failure before it
 * can still become a proper error status. Demand comes from the connection: Reactor Netty
 * asks for more only while the socket is writable, so a client that stops reading stops
 * the stream (and, through the bounded prefetch upstream, the replica) instead of making
 * the gateway buffer. The handling's Reactor context reaches the parts (e.g. the shutdown
 * signal), whoever subscribes to them.
 */
public final class StreamingBody {

	private StreamingBody() {
	}

	/** Writes and flushes each string as UTF-8. */
	public static BodyInserter<Flux<String>, ReactiveHttpOutputMessage> of(Flux<String> parts) {
		return (message, context) -> Mono
			.deferContextual((handling) -> message.writeAndFlushWith(parts.contextWrite(handling)
				.map((part) -> Mono.just(message.bufferFactory().wrap(part.getBytes(StandardCharsets.UTF_8))))));
	}

}
