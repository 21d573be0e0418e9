package dev.llmserve.gateway.error;

import java.time.Duration;

import org.springframework.http.HttpStatus;

/**
 * The errors the gateway itself answers with; each message states what was expected.
 */
public final class ApiErrors {

	private static final int MAX_ECHOED = 100;

	private ApiErrors() {
	}

	/** 400: the request is malformed or a field is invalid. */
	public static ApiError badRequest(String param, String message) {
		return new ApiError(400, "BadRequestError", message, param, null);
	}

	/** 404: no deployment serves this model (vLLM's exact message). */
	public static ApiError modelNotFound(String model) {
		return new ApiError(404, "NotFoundError", "The model `%s` does not exist.".formatted(shorten(model)), "model",
				null);
	}

	/** 404: no route for this path. */
	public static ApiError pathNotFound(String method, String path) {
		return new ApiError(404, "NotFoundError", "No route for %s %s".formatted(shorten(method), shorten(path)), null,
				null);
	}

	/** 405: the path exists but not for this method. */
	public static ApiError methodNotAllowed(String method, String path, String allowed) {
		return new ApiError(405, "MethodNotAllowedError",
				"Method %s is not allowed for %s (expected: %s)".formatted(method, path, allowed), null, null);
	}

	/** 413: the body is larger than the configured limit. */
	public static ApiError payloadTooLarge(long limitBytes) {
		return new ApiError(413, "PayloadTooLargeError",
				"Request body is too large (expected: at most %d bytes)".formatted(limitBytes), null, null);
	}

	/** 415: the body is not of the media type the endpoint reads. */
	public static ApiError unsupportedMediaType(String actual, String expected) {
		return new ApiError(415, "UnsupportedMediaTypeError",
				"Content-Type: %s (expected: %s)".formatted(shorten(actual), expected), null, null);
	}

	/**
	 * 415: the body is compressed (or otherwise encoded), which the gateway does not
	 * decode.
	 */
	public static ApiError unsupportedContentEncoding(String actual) {
		return new ApiError(415, "UnsupportedMediaTypeError",
				"Content-Encoding: %s (expected: none or identity)".formatted(shorten(actual)), null, null);
	}

	/** 503: the gateway is shutting down and takes no new work. */
	public static ApiError shuttingDown(long retryAfterSeconds) {
		return new ApiError(503, "ServiceUnavailableError",
				"The gateway is shutting down (expected: retry on another gateway instance)", null, retryAfterSeconds);
	}

	/**
	 * 503 in a stream: the gateway's shutdown grace ended before the generation did.
	 */
	public static ApiError streamEndedByShutdown() {
		return new ApiError(503, "ServiceUnavailableError",
				"The gateway shut down before the generation finished; the output is incomplete", null, null);
	}

	/**
	 * 408: the client stopped reading the response. Never reaches that client; it ends
	 * the handling (and the call upstream) and shows in the logs.
	 */
	public static ApiError clientStalled(Duration stallTimeout) {
		return new ApiError(408, "RequestTimeoutError",
				"The client read nothing of the response for %s; the connection was closed".formatted(stallTimeout),
				null, null);
	}

	/**
	 * An answer the HTTP server gave on its own, before any handler ran (a request that
	 * is not valid HTTP, too long a request line or headers, a request that did not
	 * arrive in time).
	 */
	public static ApiError protocolError(int status, String message) {
		HttpStatus known = HttpStatus.resolve(status);
		String type = (known != null) ? known.getReasonPhrase().replace(" ", "").replace("-", "") + "Error"
				: "HttpError";
		return new ApiError(status, type, message, null, null);
	}

	/**
	 * 503: the gateway cannot take the request now (overloaded, no replica); the client
	 * should retry after the given delay.
	 */
	public static ApiError serviceUnavailable(String message, long retryAfterSeconds) {
		return new ApiError(503, "ServiceUnavailableError", message, null, retryAfterSeconds);
	}

	/** 500: a failure of the gateway itself. */
	public static ApiError internal() {
		return new ApiError(500, "InternalServerError", "Internal server error", null, null);
	}

	/** Client-supplied text in a message, cut so that errors stay small. */
	static String shorten(String text) {
		return (text == null || text.length() <= MAX_ECHOED) ? text : text.substring(0, MAX_ECHOED) + "...";
	}

}
