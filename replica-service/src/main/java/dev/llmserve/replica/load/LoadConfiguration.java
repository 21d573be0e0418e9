package dev.llmserve.replica.load;

import java.time.Clock;

import dev.llmserve.replica.ReplicaProperties;
import dev.llmserve.replica.engine.EngineControlClient;
import dev.llmserve.replica.engine.EngineState;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The replica's load: in-flight calls, the engine's metrics, and their gauges. */
@Configuration(proxyBeanMethods = false)
class LoadConfiguration {

	@Bean
	InFlightRequests inFlightRequests() {
		return new InFlightRequests();
	}

	@Bean
	ReplicaLoadRegistry replicaLoadRegistry(EngineState engine, InFlightRequests inFlight, MeterRegistry meters,
			ReplicaProperties properties) {
		ReplicaLoadRegistry registry = new ReplicaLoadRegistry(engine, inFlight);
		registry.bindTo(meters, properties.meterTags());
		return registry;
	}

	@Bean
	EngineLoadScraper engineLoadScraper(EngineControlClient control, EngineState engine, ReplicaLoadRegistry registry,
			ReplicaProperties properties) {
		return new EngineLoadScraper(control, engine, registry, properties.load(), Clock.systemUTC());
	}

}
