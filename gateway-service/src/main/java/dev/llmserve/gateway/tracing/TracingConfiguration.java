package dev.llmserve.gateway.tracing;

import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Trace propagation to replicas. Boot's tracing auto-configuration provides the
 * {@link Propagator} (W3C by default) when tracing is enabled.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

	@Bean
	RequestTraces requestTraces(ObjectProvider<Propagator> propagator) {
		Propagator available = propagator.getIfAvailable();
		return (available != null && available != Propagator.NOOP) ? new RequestTraces(available)
				: RequestTraces.DISABLED;
	}

}
