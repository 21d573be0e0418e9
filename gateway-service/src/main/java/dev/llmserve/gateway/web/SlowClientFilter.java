package dev.llmserve.gateway.web;

import java.time.Duration;

import dev.llmserve.gateway.error.ApiErrors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Disconnects clients that stop reading. Backpressure already keeps what such a client
 * costs bounded (the connection's buffers, Reactor Netty's and the upstream prefetch),
 * but it would also keep the generation and its engine slot held for as long as the
 * client likes. After {@code stallTimeout} without write progress (see
 * {@link StallWatch}) the connection is closed and the handling cancelled, which cancels
 * the call upstream and so aborts the engine's sequence.
 */
final class SlowClientFilter implements WebFilter, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(SlowClientFilter.class);

	private final SlowClientProperties properties;

	private final Counter disconnects;

	SlowClientFilter(SlowClientProperties properties, MeterRegistry meters) {
		this.properties = properties;
		this.disconnects = Counter.builder("llmserve.gateway.slow.client.disconnects")
			.description("Connections closed because the client read nothing for the stall timeout")
			.register(meters);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 20;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		Channel channel = channelOf(exchange.getResponse());
		if (channel == null) {
			return chain.filter(exchange);
		}
		Duration interval = this.properties.checkInterval();
		Mono<Void> stalled = Mono.defer(() -> {
			StallWatch watch = new StallWatch(this.properties.stallTimeout().toNanos());
			return Flux.interval(interval, interval)
				.filter((tick) -> channel.isActive() && watch.isStalled(pendingBytes(channel), System.nanoTime()))
				.next()
				.flatMap((tick) -> disconnect(exchange, channel));
		});
		return Mono.firstWithSignal(chain.filter(exchange), stalled);
	}

	private Mono<Void> disconnect(ServerWebExchange exchange, Channel channel) {
		this.disconnects.increment();
		logger.warn("{} {} from {}: the client read nothing for {}; closing the connection",
				exchange.getRequest().getMethod(), exchange.getRequest().getPath(), channel.remoteAddress(),
				this.properties.stallTimeout());
		channel.close();
		return Mono.error(ApiErrors.clientStalled(this.properties.stallTimeout()).exception());
	}

	private static long pendingBytes(Channel channel) {
		ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
		return (buffer != null) ? buffer.totalPendingWriteBytes() : 0;
	}

	private static Channel channelOf(ServerHttpResponse response) {
		try {
			Object nativeResponse = ServerHttpResponseDecorator.getNativeResponse(response);
			return (nativeResponse instanceof Connection connection) ? connection.channel() : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
