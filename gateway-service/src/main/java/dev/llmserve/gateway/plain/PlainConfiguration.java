package dev.llmserve.gateway.plain;

import dev.llmserve.gateway.admission.AdmissionControl;
import dev.llmserve.gateway.metrics.GatewayMetrics;
import dev.llmserve.gateway.upstream.InferenceClient;
import dev.llmserve.gateway.web.NotAllowedRoutes;
import dev.llmserve.gateway.web.RequestBodyReader;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The plain chunked text endpoint.
 */
@Configuration(proxyBeanMethods = false)
class PlainConfiguration {

	static final String PLAIN_CHAT = "/v1/chat/{deployment}";

	@Bean
	PlainChatHandler plainChatHandler(RequestBodyReader bodies, InferenceClient inference, AdmissionControl admission,
			GatewayMetrics metrics) {
		return new PlainChatHandler(bodies, inference, admission, metrics);
	}

	@Bean
	RouterFunction<ServerResponse> plainRoutes(PlainChatHandler handler) {
		// Never shadows /v1/chat/completions, whichever router is consulted first.
		RequestPredicate notOpenAi = RequestPredicates.path("/v1/chat/completions").negate();
		return RouterFunctions.route(RequestPredicates.POST(PLAIN_CHAT).and(notOpenAi), handler::chat)
			.and(NotAllowedRoutes.forOtherMethods(PLAIN_CHAT, HttpMethod.POST));
	}

}
