package dev.llmserve.replica.bridge;

import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmserve.replica.ReplicaProperties;
import dev.llmserve.replica.engine.EngineEndpoint;
import dev.llmserve.replica.loops.EventLoops;
import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The streaming HTTP clients to the engine and their connection pools. */
@Configuration(proxyBeanMethods = false)
class BridgeConfiguration {

	/**
	 * Below uvicorn's 5 s keep-alive, so the pool never hands out a connection the engine
	 * closed.
	 */
	private static final Duration MAX_IDLE = Duration.ofSeconds(4);

	@Bean(destroyMethod = "dispose")
	EngineClients engineClients(ReplicaProperties properties, EngineEndpoint endpoint) {
		ReplicaProperties.Bridge bridge = properties.bridge();
		return new EngineClients(EventLoops.workers(), (index) -> pool("engine-streams-" + index, bridge),
				(pool) -> client(pool, endpoint, bridge));
	}

	@Bean
	EngineStreamClient engineStreamClient(EngineClients clients, ReplicaProperties properties, ObjectMapper json) {
		return new EngineStreamClient(clients::current, new EngineRequests(json, properties.servedModelName()), json,
				properties.bridge());
	}

	/** A client on one pool, wherever its connections live (tests). */
	static EngineStreamClient engineStreamClient(ConnectionProvider connections, EngineEndpoint endpoint,
			ReplicaProperties.Bridge bridge, String model, ObjectMapper json) {
		EngineClients.Lane lane = EngineClients.Lane.of(client(connections, endpoint, bridge));
		return new EngineStreamClient(() -> lane, new EngineRequests(json, model), json, bridge);
	}

	private static ConnectionProvider pool(String name, ReplicaProperties.Bridge bridge) {
		return ConnectionProvider.builder(name)
			.maxConnections(bridge.maxConnections())
			.pendingAcquireMaxCount(bridge.maxPendingAcquires())
			.pendingAcquireTimeout(bridge.pendingAcquireTimeout())
			.maxIdleTime(MAX_IDLE)
			.build();
	}

	private static HttpClient client(ConnectionProvider pool, EngineEndpoint endpoint,
			ReplicaProperties.Bridge bridge) {
		return HttpClient.create(pool)
			.baseUrl(endpoint.baseUrl())
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) bridge.connectTimeout().toMillis())
			.responseTimeout(bridge.idleTimeout());
	}

}
