package dev.llmserve.gateway.error;

/**
 * The errors the gateway itself answers with; each message states what was expected.
 */
public final class ApiErrors {

	private ApiErrors() {
	}

	/** 400: the request is malformed or a field is invalid. */
	public static ApiError badRequest(String param, String message) {
		return new ApiError(400, "BadRequestError", message, param, null);
	}

	/** 404: no deployment serves this model (vLLM's exact message). */
	public static ApiError modelNotFound(String model) {
		return new ApiError(404, "NotFoundError", "The model `%s` does not exist.".formatted(model), "model", null);
	}

	/** 404: no route for this path. */
	public static ApiError pathNotFound(String method, String path) {
		return new ApiError(404, "NotFoundError", "No route for %s %s".formatted(method, path), null, null);
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
				"Content-Type: %s (expected: %s)".formatted(actual, expected), null, null);
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

}
