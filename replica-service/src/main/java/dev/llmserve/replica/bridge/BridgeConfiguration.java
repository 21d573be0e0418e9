package dev.llmserve.replica.bridge;

import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmserve.replica.ReplicaProperties;
import dev.llmserve.replica.engine.EngineEndpoint;
import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The streaming HTTP client to the engine and its connection pool. */
@Configuration(proxyBeanMethods = false)
class BridgeConfiguration {

	/**
	 * Below uvicorn's 5 s keep-alive, so the pool never hands out a connection the engine
	 * closed.
	 */
	private static final Duration MAX_IDLE = Duration.ofSeconds(4);

	@Bean(destroyMethod = "dispose")
	ConnectionProvider engineConnections(ReplicaProperties properties) {
		ReplicaProperties.Bridge bridge = properties.bridge();
		return ConnectionProvider.builder("engine-streams")
			.maxConnections(bridge.maxConnections())
			.pendingAcquireMaxCount(bridge.maxPendingAcquires())
			.pendingAcquireTimeout(bridge.pendingAcquireTimeout())
			.maxIdleTime(MAX_IDLE)
			.build();
	}

	@Bean
	EngineStreamClient engineStreamClient(ConnectionProvider engineConnections, EngineEndpoint endpoint,
			ReplicaProperties properties, ObjectMapper json) {
		return engineStreamClient(engineConnections, endpoint, properties.bridge(), properties.servedModelName(), json);
	}

	static EngineStreamClient engineStreamClient(ConnectionProvider connections, EngineEndpoint endpoint,
			ReplicaProperties.Bridge bridge, String model, ObjectMapper json) {
		HttpClient client = HttpClient.create(connections)
			.baseUrl(endpoint.baseUrl())
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) bridge.connectTimeout().toMillis())
			.responseTimeout(bridge.idleTimeout());
		return new EngineStreamClient(client, new EngineRequests(json, model), json, bridge);
	}

}
