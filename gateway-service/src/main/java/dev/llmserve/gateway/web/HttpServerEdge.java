package dev.llmserve.gateway.web;

import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;

/**
 * Reactor Netty settings of the client-facing server: a deadline for each request to
 * arrive, and OpenAI-shaped bodies on the errors the server answers by itself.
 */
final class HttpServerEdge implements NettyServerCustomizer {

	private final ProtocolErrorBodies.Limits limits;

	HttpServerEdge(ProtocolErrorBodies.Limits limits) {
		this.limits = limits;
	}

	@Override
	public HttpServer apply(HttpServer server) {
		return server.requestTimeout(this.limits.requestTimeout())
			.doOnChannelInit((observer, channel, remoteAddress) -> {
				if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
					channel.pipeline()
						.addAfter(NettyPipeline.HttpCodec, "llmserve.protocolErrorBodies",
								new ProtocolErrorBodies(this.limits));
				}
			});
	}

}
