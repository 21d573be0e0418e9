package dev.llmserve.replica.engine;

import java.time.Duration;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufMono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The engine's control endpoints ({@code /health}, {@code /metrics}), on a small
 * connection pool of their own so that they answer even when every streaming connection
 * is busy.
 */
public final class EngineControlClient implements AutoCloseable {

	private final ConnectionProvider connections;

	private final HttpClient client;

	EngineControlClient(EngineEndpoint endpoint, Duration connectTimeout) {
		this.connections = ConnectionProvider.builder("engine-control")
			.maxConnections(4)
			.pendingAcquireMaxCount(16)
			.build();
		this.client = HttpClient.create(this.connections)
			.baseUrl(endpoint.baseUrl())
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis());
	}

	/**
	 * Whether {@code GET /health} answers 200 within {@code timeout}; errors become
	 * false.
	 */
	public Mono<Boolean> isHealthy(Duration timeout) {
		return this.client.get()
			.uri("/health")
			.responseSingle((response, body) -> drain(body).thenReturn(response.status().code() == 200))
			.timeout(timeout)
			.onErrorReturn(false);
	}

	/** The engine's Prometheus text from {@code GET /metrics}, or an error. */
	public Mono<String> metrics(Duration timeout) {
		return this.client.get()
			.uri("/metrics")
			.responseSingle((response, body) -> (response.status().code() == 200) ? body.asString()
					: drain(body).then(Mono.error(new IllegalStateException("GET /metrics: " + response.status()))))
			.timeout(timeout);
	}

	private static Mono<String> drain(ByteBufMono body) {
		return body.asString().defaultIfEmpty("");
	}

	@Override
	public void close() {
		this.connections.dispose();
	}

}
