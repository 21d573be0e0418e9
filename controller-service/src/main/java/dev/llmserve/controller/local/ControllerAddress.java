package dev.llmserve.controller.local;

import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * Where children reach this controller's gRPC server: the advertised host and the port
 * the server listens on, which is known for sure only once it runs (it may be 0, "any
 * free port", in the configuration).
 */
final class ControllerAddress implements ApplicationListener<GrpcServerStartedEvent> {

	private final String host;

	private final Environment environment;

	private volatile int port;

	ControllerAddress(String host, Environment environment) {
		this.host = host;
		this.environment = environment;
	}

	@Override
	public void onApplicationEvent(GrpcServerStartedEvent event) {
		// An in-process server reports no port; the network server is the one children
		// use.
		if (event.getPort() > 0) {
			this.port = event.getPort();
		}
	}

	/**
	 * The controller's gRPC {@code host:port}.
	 * @throws IllegalStateException if the gRPC server does not run and no port is
	 * configured
	 */
	String grpcTarget() {
		int known = (this.port > 0) ? this.port
				: this.environment.getProperty("spring.grpc.server.port", Integer.class, 9090);
		if (known <= 0) {
			throw new IllegalStateException("The controller's gRPC port is not known yet (spring.grpc.server.port="
					+ known + " and the gRPC server has not started); local children cannot be told where it is");
		}
		return this.host + ":" + known;
	}

}
