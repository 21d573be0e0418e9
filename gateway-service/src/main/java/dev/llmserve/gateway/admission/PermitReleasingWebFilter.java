package dev.llmserve.gateway.admission;

import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Releases every permit an exchange still holds when its handling ends: response written,
 * failed, or cancelled because the client went away.
 */
final class PermitReleasingWebFilter implements WebFilter {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ExchangePermits permits = new ExchangePermits();
		exchange.getAttributes().put(ExchangePermits.ATTRIBUTE, permits);
		return chain.filter(exchange).doFinally((signal) -> permits.close());
	}

}
