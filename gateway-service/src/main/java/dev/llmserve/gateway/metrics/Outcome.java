package dev.llmserve.gateway.metrics;

import dev.llmserve.gateway.error.ApiException;
import io.grpc.Status;

import org.springframework.web.server.ResponseStatusException;

/**
 * How a request ended, as the {@code outcome} tag of {@code llmserve.gateway.requests}.
 */
enum Outcome {

	/** The generation completed. */
	OK("ok"),

	/** The request was at fault: unreadable, invalid, an unknown model (4xx). */
	CLIENT_ERROR("client_error"),

	/** Turned away for load: admission control's 503s, an engine out of capacity. */
	REJECTED("rejected"),

	/**
	 * The gateway or a replica failed it: no replica reachable, timeouts, engine errors.
	 */
	FAILED("failed"),

	/** The client went away (or the gateway cut the stream at shutdown). */
	CANCELLED("cancelled");

	private final String tag;

	Outcome(String tag) {
		this.tag = tag;
	}

	String tag() {
		return this.tag;
	}

	static Outcome of(Throwable error) {
		if (error instanceof ApiException api) {
			return ofHttpStatus(api.error().status());
		}
		if (error instanceof ResponseStatusException web) {
			return ofHttpStatus(web.getStatusCode().value());
		}
		return switch (Status.fromThrowable(error).getCode()) {
			case INVALID_ARGUMENT, NOT_FOUND, OUT_OF_RANGE, FAILED_PRECONDITION, ALREADY_EXISTS, PERMISSION_DENIED,
					UNAUTHENTICATED ->
				CLIENT_ERROR;
			case RESOURCE_EXHAUSTED -> REJECTED;
			default -> FAILED;
		};
	}

	/** 503s raised as {@code ApiException}s come from admission control. */
	private static Outcome ofHttpStatus(int status) {
		if (status == 503 || status == 429) {
			return REJECTED;
		}
		return (status >= 400 && status < 500) ? CLIENT_ERROR : FAILED;
	}

}
