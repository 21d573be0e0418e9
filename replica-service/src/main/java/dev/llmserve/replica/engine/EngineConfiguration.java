package dev.llmserve.replica.engine;

import dev.llmserve.process.FreePorts;
import dev.llmserve.replica.ReplicaProperties;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The engine sidecar: where it listens, its supervisor, and its health. */
@Configuration(proxyBeanMethods = false)
class EngineConfiguration {

	@Bean
	EngineEndpoint engineEndpoint(ReplicaProperties properties) {
		int port = properties.engine().port();
		return EngineEndpoint.loopback((port != 0) ? port : FreePorts.find());
	}

	@Bean
	EngineState engineState() {
		return new EngineState();
	}

	@Bean
	EngineControlClient engineControlClient(EngineEndpoint endpoint, ReplicaProperties properties) {
		return new EngineControlClient(endpoint, properties.bridge().connectTimeout());
	}

	@Bean
	ReplicaTerminator replicaTerminator(ConfigurableApplicationContext context) {
		return new ApplicationExitTerminator(context);
	}

	@Bean
	EngineSupervisor engineSupervisor(ReplicaProperties properties, EngineEndpoint endpoint,
			EngineControlClient control, EngineState state, ReplicaTerminator terminator,
			ConfigurableApplicationContext context) {
		return new EngineSupervisor(properties, endpoint, new SimulatorScripts(context.getClassLoader()), control,
				state, terminator);
	}

	@Bean
	EngineHealthIndicator engineHealthIndicator(EngineState state, EngineEndpoint endpoint) {
		return new EngineHealthIndicator(state, endpoint);
	}

}
