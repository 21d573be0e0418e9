package dev.llmserve.gateway.upstream;

import dev.llmserve.gateway.metrics.GatewayMetrics;
import dev.llmserve.gateway.routing.LeastLoadedBalancer;
import dev.llmserve.gateway.routing.OutlierEjector;
import dev.llmserve.gateway.routing.ReplicaStatsRegistry;
import dev.llmserve.gateway.routing.RoutingProperties;
import dev.llmserve.gateway.routing.RoutingTableSource;
import dev.llmserve.gateway.tracing.RequestTraces;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Channels to replicas, the inference client and the load poller.
 */
@Configuration(proxyBeanMethods = false)
class UpstreamConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ReplicaChannelFactory replicaChannelFactory(UpstreamProperties properties) {
		return new NettyReplicaChannelFactory(properties);
	}

	/**
	 * No call outlives its deadline, so a departed replica's channel is forced closed
	 * only after one request timeout.
	 */
	@Bean
	ReplicaChannelRegistry replicaChannelRegistry(ReplicaChannelFactory factory, RoutingTableSource source,
			UpstreamProperties properties) {
		return new ReplicaChannelRegistry(factory, source, properties.requestTimeout());
	}

	@Bean
	InferenceClient inferenceClient(RoutingTableSource source, LeastLoadedBalancer balancer, OutlierEjector ejector,
			ReplicaChannelRegistry channels, GatewayMetrics metrics, MeterRegistry registry,
			UpstreamProperties properties, RequestTraces traces) {
		return new InferenceClient(source, balancer, ejector, channels, metrics, registry, properties, traces);
	}

	@Bean
	ReplicaLoadPoller replicaLoadPoller(RoutingTableSource source, ReplicaChannelRegistry channels,
			ReplicaStatsRegistry stats, OutlierEjector ejector, RoutingProperties properties) {
		return new ReplicaLoadPoller(source, channels, stats, ejector, properties);
	}

}
