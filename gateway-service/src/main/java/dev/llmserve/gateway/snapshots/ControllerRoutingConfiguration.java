package dev.llmserve.gateway.snapshots;

import dev.llmserve.gateway.routing.RoutingProperties;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Routes from the controller's snapshots when {@code llmserve.gateway.routing.controller}
 * is set; the static routes are then never created.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(RoutingProperties.CONTROLLER)
class ControllerRoutingConfiguration {

	@Bean
	ControllerClient controllerClient(RoutingProperties properties) {
		return ControllerClient.connect(properties.controllerAddress(), properties.watch());
	}

	@Bean
	ControllerRoutingTableSource controllerRoutingTableSource(ControllerClient client, RoutingProperties properties,
			MeterRegistry registry) {
		return new ControllerRoutingTableSource(properties.controller().trim(), client::watch, properties.watch(),
				Schedulers.parallel(), new WatchMetrics(registry));
	}

}
