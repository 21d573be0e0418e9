package dev.llmserve.replica.bridge;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.netty.handler.timeout.ReadTimeoutException;
import reactor.netty.channel.AbortedException;

/**
 * Translates what goes wrong between the replica and its engine into gRPC statuses, once,
 * at the edge: the engine's HTTP errors keep its message, network failures become
 * {@code UNAVAILABLE} so that the caller may retry elsewhere.
 */
final class EngineErrors {

	private static final int MAX_MESSAGE_LENGTH = 2000;

	private EngineErrors() {
	}

	/** The status for an engine response that is not 200, from its status and body. */
	static StatusRuntimeException forResponse(int httpStatus, String body, ObjectMapper json) {
		return statusFor(httpStatus).withDescription(message(body, json, httpStatus)).asRuntimeException();
	}

	/** The status for an error the engine reported inside a stream that had started. */
	static StatusRuntimeException inStream(JsonNode error) {
		String message = error.isTextual() ? error.asText() : error.path("message").asText("");
		if (message.isEmpty()) {
			message = error.toString();
		}
		return Status.INTERNAL.withDescription(truncate(message)).asRuntimeException();
	}

	/** The status for any failure of an engine call; statuses pass through unchanged. */
	static Throwable translate(Throwable error) {
		if (error instanceof StatusRuntimeException || error instanceof StatusException) {
			return error;
		}
		if (error instanceof ReadTimeoutException || error instanceof TimeoutException) {
			return unavailable("the engine stopped responding", error);
		}
		if (error instanceof IOException || error instanceof AbortedException) {
			return unavailable("the engine is unreachable: " + error.getMessage(), error);
		}
		if (error.getClass().getSimpleName().startsWith("PoolAcquire")) {
			return Status.RESOURCE_EXHAUSTED.withDescription("too many concurrent generations on this replica")
				.withCause(error)
				.asRuntimeException();
		}
		return Status.INTERNAL.withDescription("engine call failed: " + error).withCause(error).asRuntimeException();
	}

	static Status statusFor(int httpStatus) {
		return switch (httpStatus) {
			case 400, 413, 422 -> Status.INVALID_ARGUMENT;
			case 404 -> Status.NOT_FOUND;
			case 429 -> Status.RESOURCE_EXHAUSTED;
			case 501 -> Status.UNIMPLEMENTED;
			case 502, 503, 504 -> Status.UNAVAILABLE;
			default -> Status.INTERNAL;
		};
	}

	/**
	 * vLLM's message: {@code {"error":{"message":…}}} (≥ 0.10.1) or flat
	 * {@code {"message":…}}.
	 */
	static String message(String body, ObjectMapper json, int httpStatus) {
		String message = "";
		try {
			JsonNode root = json.readTree(body);
			JsonNode error = root.path("error");
			message = error.isTextual() ? error.asText()
					: error.path("message").asText(root.path("message").asText(""));
		}
		catch (JsonProcessingException ex) {
			message = body.strip();
		}
		return truncate(message.isEmpty() ? "engine answered HTTP " + httpStatus : message);
	}

	private static StatusRuntimeException unavailable(String message, Throwable cause) {
		return Status.UNAVAILABLE.withDescription(message).withCause(cause).asRuntimeException();
	}

	private static String truncate(String message) {
		return (message.length() <= MAX_MESSAGE_LENGTH) ? message : message.substring(0, MAX_MESSAGE_LENGTH) + "…";
	}

}
