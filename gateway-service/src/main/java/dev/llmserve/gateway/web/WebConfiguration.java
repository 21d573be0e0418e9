package dev.llmserve.gateway.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmserve.gateway.GatewayProperties;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.web.ServerProperties;
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

	@Bean
	HttpServerEdge httpServerEdge(RequestProperties request, ServerProperties server) {
		return new HttpServerEdge(new ProtocolErrorBodies.Limits(request.timeout(),
				server.getNetty().getMaxInitialLineLength().toBytes(), server.getMaxHttpRequestHeaderSize().toBytes()));
	}

	@Bean
	SlowClientFilter slowClientFilter(SlowClientProperties properties, MeterRegistry meters) {
		return new SlowClientFilter(properties, meters);
	}

}
