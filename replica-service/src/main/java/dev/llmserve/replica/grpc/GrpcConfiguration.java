package dev.llmserve.replica.grpc;

import java.time.Duration;

import dev.llmserve.replica.ReplicaProperties;
import dev.llmserve.replica.bridge.EngineStreamClient;
import dev.llmserve.replica.engine.EngineState;
import dev.llmserve.replica.load.InFlightRequests;
import dev.llmserve.replica.load.ReplicaLoadRegistry;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.server.GlobalServerInterceptor;

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

	/**
	 * Continues the gateway's trace. Boot provides the tracer and a W3C propagator when
	 * tracing is on ({@code management.tracing.enabled}); without them calls pass
	 * through.
	 */
	@Bean
	@GlobalServerInterceptor
	ServerInterceptor tracingServerInterceptor(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		Tracer available = tracer.getIfAvailable();
		Propagator propagation = propagator.getIfAvailable();
		if (available == null || available == Tracer.NOOP || propagation == null) {
			return new ServerInterceptor() {
				@Override
				public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
						ServerCallHandler<Q, A> next) {
					return next.startCall(call, headers);
				}
			};
		}
		return new TracingServerInterceptor(available, propagation);
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
