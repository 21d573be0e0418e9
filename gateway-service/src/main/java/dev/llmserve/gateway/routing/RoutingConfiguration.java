package dev.llmserve.gateway.routing;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The routing table source, replica stats and balancer.
 */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

	@Bean
	@ConditionalOnMissingBean(RoutingTableSource.class)
	RoutingTableSource staticRoutingTableSource(RoutingProperties properties) {
		return new StaticRoutingTableSource(properties.staticReplicas());
	}

	@Bean
	ReplicaStatsRegistry replicaStatsRegistry(Clock clock, RoutingProperties properties) {
		return new ReplicaStatsRegistry(clock, properties.unhealthyCooldown());
	}

	@Bean
	LeastLoadedBalancer leastLoadedBalancer(RoutingTableSource source, ReplicaStatsRegistry stats) {
		return new LeastLoadedBalancer(source, stats, new ThreadLocalRandomGenerator());
	}

	@Bean
	RoutingHealthIndicator routingHealthIndicator(RoutingTableSource source) {
		return new RoutingHealthIndicator(source);
	}

	/** Delegates to the calling thread's random, so concurrent picks never contend. */
	private static final class ThreadLocalRandomGenerator implements RandomGenerator {

		@Override
		public long nextLong() {
			return ThreadLocalRandom.current().nextLong();
		}

		@Override
		public int nextInt(int bound) {
			return ThreadLocalRandom.current().nextInt(bound);
		}

	}

}
