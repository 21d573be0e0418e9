package dev.llmserve.worker.registration;

import java.time.Clock;

import dev.llmserve.worker.WorkerProperties;
import dev.llmserve.worker.replicas.ReplicaRegistry;
import io.grpc.netty.NettyChannelBuilder;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registration with the controller, heartbeats, and the readiness they decide. */
@Configuration(proxyBeanMethods = false)
class RegistrationConfiguration {

	@Bean
	ControllerClient controllerClient(WorkerProperties properties) {
		return new ControllerClient(NettyChannelBuilder.forTarget(properties.controller()).usePlaintext().build(),
				properties.registration().callTimeout());
	}

	@Bean
	RegistrationState registrationState() {
		return new RegistrationState();
	}

	@Bean
	RegistrationLoop registrationLoop(WorkerProperties properties, ReplicaRegistry registry,
			ControllerClient controller, RegistrationState state, Clock clock) {
		return new RegistrationLoop(properties, registry, controller, state, clock, Schedulers.parallel());
	}

	@Bean
	RegistrationHealthIndicator registrationHealthIndicator(RegistrationState state, WorkerProperties properties) {
		return new RegistrationHealthIndicator(state, properties.controller());
	}

}
