package dev.llmserve.controller.local.supervision;

import java.time.Duration;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * {@code GET http://127.0.0.1:<port><path>}, healthy on 200. A new connection every time:
 * a pooled one could outlive the process that accepted it.
 */
public final class HttpHealthProbe implements HealthProbe {

	private final HttpClient client;

	private final String path;

	private final Duration timeout;

	public HttpHealthProbe(HealthCheck health) {
		this.path = health.path().startsWith("/") ? health.path() : "/" + health.path();
		this.timeout = health.timeout();
		this.client = HttpClient.create(ConnectionProvider.newConnection())
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, this.timeout.toMillis()))
			.responseTimeout(this.timeout);
	}

	@Override
	public Mono<Boolean> check(int port) {
		return this.client.get()
			.uri("http://127.0.0.1:" + port + this.path)
			.response()
			.map((response) -> response.status().code() == 200)
			.timeout(this.timeout)
			.onErrorReturn(false)
			.defaultIfEmpty(false);
	}

}
