package dev.llmserve.gateway.routing;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The static routing table source, replica stats, outlier ejection, balancer and
 * readiness.
 */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

	/**
	 * Static routes, unless a controller is configured (then its snapshots are the only
	 * routes, and {@code llmserve.gateway.routing.static.*}, defaults included, is never
	 * read) or another source is defined.
	 */
	@Bean
	@ConditionalOnMissingBean(RoutingTableSource.class)
	@Conditional(NoController.class)
	RoutingTableSource staticRoutingTableSource(RoutingProperties properties) {
		return new StaticRoutingTableSource(properties.staticReplicas());
	}

	@Bean
	ReplicaStatsRegistry replicaStatsRegistry(Clock clock) {
		return new ReplicaStatsRegistry(clock);
	}

	@Bean
	OutlierEjector outlierEjector(RoutingTableSource source, ReplicaStatsRegistry stats, RoutingProperties properties,
			MeterRegistry registry) {
		return new OutlierEjector(source, stats, properties.ejection(), registry);
	}

	@Bean
	LeastLoadedBalancer leastLoadedBalancer(RoutingTableSource source, ReplicaStatsRegistry stats) {
		return new LeastLoadedBalancer(source, stats, new ThreadLocalRandomGenerator());
	}

	@Bean
	RoutingHealthIndicator routingHealthIndicator(RoutingTableSource source) {
		return new RoutingHealthIndicator(source);
	}

	/** Matches when {@code llmserve.gateway.routing.controller} is not set. */
	static final class NoController extends NoneNestedConditions {

		NoController() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty(RoutingProperties.CONTROLLER)
		static final class ControllerSet {

		}

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
