package dev.llmserve.gateway.shutdown;

import dev.llmserve.gateway.error.ApiErrors;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Applies {@link StreamDrain} to each request. While draining, a new request (on a
 * connection that was already open) gets 503 with {@code Connection: close}; Actuator
 * still answers, so that probes see readiness go down. When the grace ends, an SSE stream
 * ends itself with an error event (it finds the signal in its Reactor context); a
 * response not yet started becomes a 503; any other started response (the plain
 * endpoint's) is cut, which is how that endpoint reports a failure mid-stream.
 */
final class DrainFilter implements WebFilter, Ordered {

	private final StreamDrain drain;

	private final long retryAfterSeconds;

	DrainFilter(StreamDrain drain, long retryAfterSeconds) {
		this.drain = drain;
		this.retryAfterSeconds = retryAfterSeconds;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		boolean actuator = exchange.getRequest().getPath().value().startsWith("/actuator");
		if (actuator) {
			return chain.filter(exchange);
		}
		if (this.drain.isDraining()) {
			exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
			return Mono.error(ApiErrors.shuttingDown(this.retryAfterSeconds).exception());
		}
		Mono<Void> handling = chain.filter(exchange)
			.contextWrite((context) -> context.put(StreamDrain.GRACE_ENDED, this.drain.graceEnded()));
		Mono<Void> ending = this.drain.graceEnded().then(Mono.defer(() -> end(exchange.getResponse())));
		return Mono.firstWithSignal(handling, ending);
	}

	private Mono<Void> end(ServerHttpResponse response) {
		if (!response.isCommitted()) {
			response.getHeaders().set(HttpHeaders.CONNECTION, "close");
			return Mono.error(ApiErrors.shuttingDown(this.retryAfterSeconds).exception());
		}
		if (MediaType.TEXT_EVENT_STREAM.isCompatibleWith(response.getHeaders().getContentType())) {
			return Mono.never();
		}
		return Mono.error(ApiErrors.streamEndedByShutdown().exception());
	}

}
