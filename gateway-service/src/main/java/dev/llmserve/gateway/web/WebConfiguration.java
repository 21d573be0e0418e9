package dev.llmserve.gateway.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmserve.gateway.GatewayProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * HTTP edge mechanics shared by the endpoints.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

	@Bean
	RequestBodyReader requestBodyReader(GatewayProperties properties, ObjectMapper objectMapper) {
		return new RequestBodyReader((int) properties.maxRequestSize().toBytes(), objectMapper);
	}

}
