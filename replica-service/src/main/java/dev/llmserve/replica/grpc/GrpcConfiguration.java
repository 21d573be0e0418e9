package dev.llmserve.replica.grpc;

import dev.llmserve.replica.ReplicaProperties;
import dev.llmserve.replica.bridge.EngineStreamClient;
import dev.llmserve.replica.engine.EngineState;
import dev.llmserve.replica.load.InFlightRequests;
import dev.llmserve.replica.load.ReplicaLoadRegistry;
import io.grpc.protobuf.services.HealthStatusManager;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The gRPC services this replica serves (the server itself is Spring gRPC's). */
@Configuration(proxyBeanMethods = false)
class GrpcConfiguration {

	@Bean
	InferenceGrpcService inferenceGrpcService(ReplicaProperties properties, EngineStreamClient engine,
			EngineState state, InFlightRequests inFlight, ReplicaLoadRegistry load) {
		return new InferenceGrpcService(properties.deployment(), engine, new EngineExitGuard(state), inFlight, load);
	}

	@Bean
	SharedEventLoops sharedEventLoops() {
		return new SharedEventLoops();
	}

	@Bean
	GrpcHealthPublisher grpcHealthPublisher(HealthStatusManager health, EngineState state) {
		return new GrpcHealthPublisher(health, state);
	}

}
