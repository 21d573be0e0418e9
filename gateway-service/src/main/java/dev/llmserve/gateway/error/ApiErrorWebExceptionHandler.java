package dev.llmserve.gateway.error;

import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Writes every failure that reaches the edge before the response started as OpenAI's
 * error JSON, so nothing escapes as Spring's default error page. Once the response is
 * committed it passes an upstream failure on as a {@link ResponseAbortedException}, and
 * Reactor Netty closes the connection without the terminating chunk: the client sees a
 * truncated transfer, never a clean end.
 */
public final class ApiErrorWebExceptionHandler implements WebExceptionHandler, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(ApiErrorWebExceptionHandler.class);

	private final ApiErrorMapper mapper;

	public ApiErrorWebExceptionHandler(ApiErrorMapper mapper) {
		this.mapper = mapper;
	}

	/** Ahead of Boot's own handler (order -1), which would write Spring's error JSON. */
	@Override
	public int getOrder() {
		return -2;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return abort(exchange.getRequest(), failure);
		}
		ApiError error = toApiError(exchange.getRequest(), failure);
		log(exchange.getRequest(), error, failure);
		response.setStatusCode(HttpStatusCode.valueOf(error.status()));
		HttpHeaders headers = response.getHeaders();
		if (failure instanceof ResponseStatusException web) {
			headers.addAll(web.getHeaders());
		}
		headers.setContentType(MediaType.APPLICATION_JSON);
		if (error.retryAfterSeconds() != null) {
			headers.set(HttpHeaders.RETRY_AFTER, Long.toString(error.retryAfterSeconds()));
		}
		byte[] body = error.toJson().getBytes(StandardCharsets.UTF_8);
		headers.setContentLength(body.length);
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
	}

	private Mono<Void> abort(ServerHttpRequest request, Throwable failure) {
		if (!isUpstreamFailure(failure)) {
			// E.g. the client went away: Spring recognises and handles that itself.
			return Mono.error(failure);
		}
		ApiError error = this.mapper.map(failure);
		logger.warn("{} {} failed after the response started, cutting the connection: {}", request.getMethod(),
				request.getPath(), error.message());
		return Mono.error(new ResponseAbortedException(error));
	}

	private static boolean isUpstreamFailure(Throwable failure) {
		Throwable error = Exceptions.unwrap(failure);
		return error instanceof StatusRuntimeException || error instanceof StatusException
				|| error instanceof ApiException;
	}

	private ApiError toApiError(ServerHttpRequest request, Throwable failure) {
		String method = request.getMethod().name();
		String path = request.getPath().value();
		if (failure instanceof MethodNotAllowedException notAllowed) {
			String allowed = notAllowed.getSupportedMethods()
				.stream()
				.map(HttpMethod::name)
				.sorted()
				.collect(Collectors.joining(", "));
			return ApiErrors.methodNotAllowed(method, path, allowed);
		}
		if (failure instanceof ResponseStatusException web && web.getStatusCode() == HttpStatus.NOT_FOUND) {
			return ApiErrors.pathNotFound(method, path);
		}
		return this.mapper.map(failure);
	}

	/**
	 * 503s are logged where they are decided (admission control, the upstream client),
	 * once per episode rather than once per request: under overload a line per rejection
	 * would cost more than the rejection.
	 */
	private void log(ServerHttpRequest request, ApiError error, Throwable failure) {
		if (error.status() == 500) {
			logger.error("{} {} failed", request.getMethod(), request.getPath(), failure);
		}
		else if (error.isServerError() && error.status() != 503) {
			logger.warn("{} {} -> {}: {}", request.getMethod(), request.getPath(), error.status(), error.message());
		}
		else {
			logger.debug("{} {} -> {}: {}", request.getMethod(), request.getPath(), error.status(), error.message());
		}
	}

}
