package dev.llmserve.gateway.error;

import dev.llmserve.gateway.JsonStrings;

/**
 * An error as OpenAI-compatible clients receive it:
 * {@code {"error":{"message","type","param","code"}}} with {@code code} the HTTP status.
 *
 * @param status the HTTP status
 * @param type the error type, e.g. {@code BadRequestError}
 * @param message what went wrong and what was expected
 * @param param the request field at fault, or {@code null}
 * @param retryAfterSeconds the {@code Retry-After} to send, or {@code null}
 */
public record ApiError(int status, String type, String message, String param, Long retryAfterSeconds) {

	/** The error body, as vLLM writes it. */
	public String toJson() {
		StringBuilder json = new StringBuilder(96 + this.message.length());
		json.append("{\"error\":{\"message\":");
		JsonStrings.appendQuoted(json, this.message).append(",\"type\":");
		JsonStrings.appendQuoted(json, this.type).append(",\"param\":");
		JsonStrings.appendQuoted(json, this.param).append(",\"code\":").append(this.status);
		return json.append("}}").toString();
	}

	/** This error as an exception, for signalling it through a reactive chain. */
	public ApiException exception() {
		return new ApiException(this);
	}

	/** Whether the status is 5xx. */
	public boolean isServerError() {
		return this.status >= 500;
	}

}
