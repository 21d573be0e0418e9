package dev.llmserve.gateway.error;

import dev.llmserve.gateway.GatewayProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Error mapping and the global error handler.
 */
@Configuration(proxyBeanMethods = false)
class ErrorConfiguration {

	@Bean
	ApiErrorMapper apiErrorMapper(GatewayProperties properties) {
		return new ApiErrorMapper(properties.retryAfterSeconds());
	}

	@Bean
	ApiErrorWebExceptionHandler apiErrorWebExceptionHandler(ApiErrorMapper mapper) {
		return new ApiErrorWebExceptionHandler(mapper);
	}

}
