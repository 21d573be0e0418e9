package dev.llmserve.loadgen.client;

/**
 * How a request ended. Everything but {@link #SUCCESS} and {@link #CANCELLED} is a
 * failure.
 */
public enum Outcome {

	/**
	 * HTTP 200, at least one chunk with choices, and a clean end ({@code [DONE]}, or the
	 * last HTTP chunk).
	 */
	SUCCESS("success"),

	/** A status other than 200. */
	HTTP_STATUS("http_status"),

	/**
	 * No connection: refused, unreachable, connect timeout, or no pooled connection in
	 * time.
	 */
	CONNECT_ERROR("connect_error"),

	/** The request timeout, or the idle timeout between reads, expired. */
	TIMEOUT("timeout"),

	/**
	 * The connection closed, or the body ended, before {@code [DONE]} (or the terminating
	 * chunk).
	 */
	STREAM_BROKEN("stream_broken"),

	/** The stream carried an error event. */
	ERROR_EVENT("error_event"),

	/** A clean end without a single chunk with choices. */
	EMPTY_STREAM("empty_stream"),

	/** Anything else that went wrong (a malformed stream, a client bug). */
	OTHER("other"),

	/** Still running when the run ended; not a failure, and not counted in any metric. */
	CANCELLED("cancelled");

	private final String label;

	Outcome(String label) {
		this.label = label;
	}

	public String label() {
		return this.label;
	}

	public boolean isFailure() {
		return this != SUCCESS && this != CANCELLED;
	}

}
