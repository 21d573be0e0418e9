package dev.llmserve.gateway.web;

import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.MethodNotAllowedException;

/**
 * Routes that answer 405 (with {@code Allow}) for a known path called with the wrong
 * method; functional routes would otherwise answer 404.
 */
public final class NotAllowedRoutes {

	private NotAllowedRoutes() {
	}

	/** 405 for every method on {@code pattern} but {@code allowed}. */
	public static RouterFunction<ServerResponse> forOtherMethods(String pattern, HttpMethod allowed) {
		return RouterFunctions.route(RequestPredicates.path(pattern).and(RequestPredicates.method(allowed).negate()),
				(request) -> Mono.error(new MethodNotAllowedException(request.method(), Set.of(allowed))));
	}

}
