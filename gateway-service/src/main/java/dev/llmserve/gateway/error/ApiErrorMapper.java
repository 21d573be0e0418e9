package dev.llmserve.gateway.error;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import reactor.core.Exceptions;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Translates any failure into the {@link ApiError} the client sees; the one place where
 * gRPC status codes become HTTP statuses.
 *
 * <table>
 * <tr>
 * <td>INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION</td>
 * <td>400 BadRequestError (the replica's message)</td>
 * </tr>
 * <tr>
 * <td>NOT_FOUND</td>
 * <td>404 NotFoundError</td>
 * </tr>
 * <tr>
 * <td>RESOURCE_EXHAUSTED</td>
 * <td>429 RateLimitError, Retry-After</td>
 * </tr>
 * <tr>
 * <td>UNAVAILABLE (after retries; also no healthy replica)</td>
 * <td>503 ServiceUnavailableError, Retry-After</td>
 * </tr>
 * <tr>
 * <td>DEADLINE_EXCEEDED</td>
 * <td>504 GatewayTimeoutError</td>
 * </tr>
 * <tr>
 * <td>anything else (INTERNAL, UNKNOWN, ...)</td>
 * <td>502 BadGatewayError: the replica or engine failed, not the gateway</td>
 * </tr>
 * </table>
 * A failure of the gateway itself is 500 InternalServerError.
 */
public final class ApiErrorMapper {

	private final long retryAfterSeconds;

	public ApiErrorMapper(long retryAfterSeconds) {
		this.retryAfterSeconds = retryAfterSeconds;
	}

	/** The client-facing error for a failure. */
	public ApiError map(Throwable failure) {
		Throwable error = Exceptions.unwrap(failure);
		if (error instanceof ApiException api) {
			return api.error();
		}
		if (error instanceof StatusRuntimeException || error instanceof StatusException) {
			return fromStatus(Status.fromThrowable(error));
		}
		if (error instanceof ResponseStatusException web) {
			return fromHttpStatus(web.getStatusCode().value(), web.getReason());
		}
		return ApiErrors.internal();
	}

	/** The client-facing error for a gRPC status from a replica. */
	public ApiError fromStatus(Status status) {
		String description = (status.getDescription() != null) ? status.getDescription() : status.getCode().name();
		return switch (status.getCode()) {
			case INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION -> ApiErrors.badRequest(null, description);
			case NOT_FOUND -> new ApiError(404, "NotFoundError", description, null, null);
			case RESOURCE_EXHAUSTED -> new ApiError(429, "RateLimitError", description, null, this.retryAfterSeconds);
			case UNAVAILABLE -> new ApiError(503, "ServiceUnavailableError", description, null, this.retryAfterSeconds);
			case DEADLINE_EXCEEDED -> new ApiError(504, "GatewayTimeoutError", description, null, null);
			default -> new ApiError(502, "BadGatewayError",
					"The replica failed the request (%s: %s)".formatted(status.getCode(), description), null, null);
		};
	}

	private ApiError fromHttpStatus(int code, String reason) {
		HttpStatus status = HttpStatus.resolve(code);
		String phrase = (status != null) ? status.getReasonPhrase() : "HTTP " + code;
		String message = (reason != null) ? reason : phrase;
		String type = (status != null) ? phrase.replace(" ", "").replace("-", "") + "Error" : "HttpError";
		return new ApiError(code, (code >= 500) ? "InternalServerError" : type, message, null, null);
	}

}
