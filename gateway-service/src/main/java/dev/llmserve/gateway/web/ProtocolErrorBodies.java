package dev.llmserve.gateway.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.llmserve.gateway.error.ApiError;
import dev.llmserve.gateway.error.ApiErrors;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * Gives the error answers that Reactor Netty and Spring write on their own, with an empty
 * body, OpenAI's error JSON: a request that is not valid HTTP, a request line or headers
 * over the limits, a request that did not arrive in time, a URI that does not parse. They
 * happen before any handler runs, so the error handler never sees them. One instance per
 * connection, between the HTTP codec and Reactor Netty's handlers.
 */
final class ProtocolErrorBodies extends ChannelDuplexHandler {

	private final Limits limits;

	private boolean head;

	private boolean refused;

	ProtocolErrorBodies(Limits limits) {
		this.limits = limits;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (this.refused) {
			ReferenceCountUtil.release(msg);
			return;
		}
		if (msg instanceof HttpRequest request) {
			this.head = HttpMethod.HEAD.equals(request.method());
			HttpVersion version = request.protocolVersion();
			if (!HttpVersion.HTTP_1_1.equals(version) && !HttpVersion.HTTP_1_0.equals(version)) {
				// Netty parses any HTTP/x.y; answer here rather than serve it as 1.1.
				this.refused = true;
				ReferenceCountUtil.release(msg);
				refuse(ctx, version);
				return;
			}
		}
		super.channelRead(ctx, msg);
	}

	private void refuse(ChannelHandlerContext ctx, HttpVersion version) {
		ApiError error = ApiErrors.badRequest(null,
				"HTTP version %s is not supported (expected: HTTP/1.1 or HTTP/1.0)".formatted(version.text()));
		byte[] body = error.toJson().getBytes(StandardCharsets.UTF_8);
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
				Unpooled.wrappedBuffer(body));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
			.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		if (msg instanceof FullHttpResponse response && needsBody(response)) {
			byte[] body = error(response.status().code()).toJson().getBytes(StandardCharsets.UTF_8);
			FullHttpResponse filled = response.replace(Unpooled.wrappedBuffer(body));
			response.release();
			filled.headers()
				.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
				.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
			super.write(ctx, filled, promise);
			return;
		}
		super.write(ctx, msg, promise);
	}

	private boolean needsBody(FullHttpResponse response) {
		return response.status().code() >= 400 && !this.head && !response.content().isReadable()
				&& !response.headers().contains(HttpHeaderNames.CONTENT_TYPE);
	}

	/**
	 * The limits the messages state.
	 *
	 * @param requestTimeout the time a whole request may take to arrive
	 * @param maxInitialLineBytes the longest request line
	 * @param maxHeaderBytes the most header bytes
	 */
	record Limits(Duration requestTimeout, long maxInitialLineBytes, long maxHeaderBytes) {
	}

	private ApiError error(int status) {
		String message = switch (status) {
			case 400 -> "The request is not valid HTTP/1.1 (expected: a well-formed request line, headers, URI "
					+ "and body framing)";
			case 408 -> "The request did not arrive in time (expected: the whole request within %d ms)"
				.formatted(this.limits.requestTimeout().toMillis());
			case 413 -> "The request is too large";
			case 414 -> "The request line is too long (expected: at most %d bytes)"
				.formatted(this.limits.maxInitialLineBytes());
			case 431 -> "The request headers are too large (expected: at most %d bytes)"
				.formatted(this.limits.maxHeaderBytes());
			default -> "The request could not be processed";
		};
		return ApiErrors.protocolError(status, message);
	}

}
