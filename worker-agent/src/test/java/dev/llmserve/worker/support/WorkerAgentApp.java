package dev.llmserve.worker.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.llmserve.proto.WorkerAgentGrpc;
import dev.llmserve.worker.WorkerApplication;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * The worker agent running in this JVM on free ports, with a client for its WorkerAgent
 * service. Closing it shuts the worker down as SIGTERM would.
 */
public final class WorkerAgentApp implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final int grpcPort;

	private final ManagedChannel channel;

	private WorkerAgentApp(ConfigurableApplicationContext context, int grpcPort) {
		this.context = context;
		this.grpcPort = grpcPort;
		this.channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
	}

	/**
	 * Starts the worker with {@code llmserve.worker.*} settings (keys without the
	 * prefix).
	 */
	public static WorkerAgentApp start(Map<String, String> settings) {
		int[] port = new int[1];
		List<String> arguments = new ArrayList<>(List.of("--spring.grpc.server.port=0", "--server.port=0",
				"--server.address=127.0.0.1", "--spring.lifecycle.timeout-per-shutdown-phase=30s",
				// Tests start and stop many workers in one JVM: no 2 s quiet period each.
				"--spring.reactor.netty.shutdown-quiet-period=0s"));
		settings.forEach((key, value) -> arguments.add("--llmserve.worker." + key + "=" + value));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(WorkerApplication.class)
			.main(WorkerApplication.class)
			.listeners((ApplicationListener<GrpcServerStartedEvent>) (event) -> port[0] = event.getPort())
			.run(arguments.toArray(String[]::new));
		return new WorkerAgentApp(context, port[0]);
	}

	public int grpcPort() {
		return this.grpcPort;
	}

	public int httpPort() {
		return Integer.parseInt(this.context.getEnvironment().getProperty("local.server.port", "0"));
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	/** A blocking WorkerAgent client; every call gets a deadline. */
	public WorkerAgentGrpc.WorkerAgentBlockingStub agent() {
		return WorkerAgentGrpc.newBlockingStub(this.channel).withDeadlineAfter(10, TimeUnit.SECONDS);
	}

	public boolean isRunning() {
		return this.context.isActive();
	}

	@Override
	public void close() {
		this.channel.shutdownNow();
		if (this.context.isActive()) {
			this.context.close();
		}
	}

}
