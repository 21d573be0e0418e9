package dev.llmserve.gateway.metrics;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Request-path metrics.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

	@Bean
	GatewayMetrics gatewayMetrics(MeterRegistry registry) {
		return new GatewayMetrics(registry);
	}

}
