package dev.llmserve.gateway.metrics;

import dev.llmserve.gateway.routing.RoutingTableSource;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Request-path metrics.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

	@Bean
	GatewayMetrics gatewayMetrics(MeterRegistry registry, RoutingTableSource routes) {
		return new GatewayMetrics(registry, (deployment) -> routes.current().contains(deployment));
	}

}
