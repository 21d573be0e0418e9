package dev.llmserve.gateway.openai;

import java.time.Clock;

import dev.llmserve.gateway.admission.AdmissionControl;
import dev.llmserve.gateway.error.ApiErrorMapper;
import dev.llmserve.gateway.metrics.GatewayMetrics;
import dev.llmserve.gateway.routing.RoutingTableSource;
import dev.llmserve.gateway.upstream.InferenceClient;
import dev.llmserve.gateway.web.NotAllowedRoutes;
import dev.llmserve.gateway.web.RequestBodyReader;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The OpenAI-compatible endpoints.
 */
@Configuration(proxyBeanMethods = false)
class OpenAiConfiguration {

	static final String CHAT_COMPLETIONS = "/v1/chat/completions";

	static final String COMPLETIONS = "/v1/completions";

	static final String MODELS = "/v1/models";

	@Bean
	CompletionsHandler completionsHandler(RequestBodyReader bodies, InferenceClient inference,
			AdmissionControl admission, ApiErrorMapper errors, Clock clock, GatewayMetrics metrics) {
		return new CompletionsHandler(bodies, inference, admission, errors, clock, metrics);
	}

	@Bean
	ModelsHandler modelsHandler(RoutingTableSource source, Clock clock) {
		return new ModelsHandler(source, clock);
	}

	@Bean
	RouterFunction<ServerResponse> openAiRoutes(CompletionsHandler completions, ModelsHandler models) {
		return RouterFunctions.route()
			.POST(CHAT_COMPLETIONS, completions::chat)
			.POST(COMPLETIONS, completions::completions)
			.GET(MODELS, models::list)
			.add(NotAllowedRoutes.forOtherMethods(CHAT_COMPLETIONS, HttpMethod.POST))
			.add(NotAllowedRoutes.forOtherMethods(COMPLETIONS, HttpMethod.POST))
			.add(NotAllowedRoutes.forOtherMethods(MODELS, HttpMethod.GET))
			.build();
	}

}
