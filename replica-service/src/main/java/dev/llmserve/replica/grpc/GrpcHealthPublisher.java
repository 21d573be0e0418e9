package dev.llmserve.replica.grpc;

import dev.llmserve.proto.InferenceGrpc;
import dev.llmserve.replica.engine.EngineState;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import reactor.core.Disposable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Mirrors the engine's state on the standard gRPC health service, for the server as a
 * whole and for {@code llmserve.v1.Inference}: SERVING only while the engine serves.
 */
final class GrpcHealthPublisher implements InitializingBean, DisposableBean, ApplicationListener<ContextClosedEvent> {

	private final HealthStatusManager health;

	private final EngineState engine;

	private Disposable subscription;

	GrpcHealthPublisher(HealthStatusManager health, EngineState engine) {
		this.health = health;
		this.engine = engine;
	}

	@Override
	public void afterPropertiesSet() {
		// The health service starts out SERVING; the engine is not up yet.
		publish(ServingStatus.NOT_SERVING);
		this.subscription = this.engine.changes()
			.subscribe((phase) -> publish(
					(phase == EngineState.Phase.READY) ? ServingStatus.SERVING : ServingStatus.NOT_SERVING));
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		// Before the server drains, so that health checkers stop sending work here.
		this.health.enterTerminalState();
	}

	@Override
	public void destroy() {
		this.subscription.dispose();
	}

	private void publish(ServingStatus status) {
		this.health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
		this.health.setStatus(InferenceGrpc.SERVICE_NAME, status);
	}

}
