package dev.llmserve.replica.grpc;

import java.time.Duration;

import dev.llmserve.replica.ReplicaProperties;
import dev.llmserve.replica.bridge.EngineStreamClient;
import dev.llmserve.replica.engine.EngineState;
import dev.llmserve.replica.load.InFlightRequests;
import dev.llmserve.replica.load.ReplicaLoadRegistry;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The gRPC services this replica serves (the server itself is Spring gRPC's). */
@Configuration(proxyBeanMethods = false)
class GrpcConfiguration {

	@Bean
	InferenceGrpcService inferenceGrpcService(ReplicaProperties properties, EngineStreamClient engine,
			EngineState state, InFlightRequests inFlight, ReplicaLoadRegistry load, MeterRegistry meters) {
		Timer generateDuration = Timer.builder("llmserve.replica.generate.duration")
			.description("One Generate call, from its arrival to the end of its stream, however it ended")
			.tags(properties.meterTags())
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofMinutes(10))
			.register(meters);
		// The engine restarts only with the replica: the worker says how often it did.
		FunctionCounter.builder("llmserve.replica.engine.restarts", properties, ReplicaProperties::restarts)
			.description("Times this replica and its engine were restarted by the worker agent")
			.tags(properties.meterTags())
			.register(meters);
		return new InferenceGrpcService(properties.deployment(), engine, new EngineExitGuard(state), inFlight, load,
				generateDuration);
	}

	@Bean
	GrpcHealthPublisher grpcHealthPublisher(HealthStatusManager health, EngineState state) {
		return new GrpcHealthPublisher(health, state);
	}

}
