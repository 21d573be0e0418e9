package dev.llmserve.gateway.admission;

import dev.llmserve.gateway.GatewayProperties;
import dev.llmserve.gateway.routing.LeastLoadedBalancer;
import dev.llmserve.gateway.routing.RoutingTableSource;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Admission control and the filter that ties permits to exchanges.
 */
@Configuration(proxyBeanMethods = false)
class AdmissionConfiguration {

	@Bean
	AdmissionControl admissionControl(RoutingTableSource source, LeastLoadedBalancer balancer,
			AdmissionProperties properties, GatewayProperties gateway, MeterRegistry registry) {
		return new AdmissionControl(source, balancer::routableReplicas, properties, gateway.retryAfterSeconds(),
				registry, Schedulers.parallel());
	}

	@Bean
	PermitReleasingWebFilter permitReleasingWebFilter() {
		return new PermitReleasingWebFilter();
	}

}
