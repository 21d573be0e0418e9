package dev.llmserve.gateway.shutdown;

import java.time.Duration;

import dev.llmserve.gateway.GatewayProperties;

import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Graceful shutdown of the HTTP side (with {@code server.shutdown=graceful}).
 */
@Configuration(proxyBeanMethods = false)
class ShutdownConfiguration {

	@Bean(destroyMethod = "close")
	StreamDrain streamDrain(ShutdownProperties properties, LifecycleProperties lifecycle) {
		Duration phase = lifecycle.getTimeoutPerShutdownPhase();
		if (properties.grace().compareTo(phase) >= 0) {
			throw new IllegalStateException(
					"llmserve.gateway.shutdown.grace: %s (expected: < spring.lifecycle.timeout-per-shutdown-phase, %s, "
						.formatted(properties.grace(), phase) + "which cuts whatever is still open)");
		}
		return new StreamDrain(properties.grace());
	}

	@Bean
	DrainFilter drainFilter(StreamDrain drain, GatewayProperties gateway) {
		return new DrainFilter(drain, gateway.retryAfterSeconds());
	}

}
