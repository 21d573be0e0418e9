package dev.llmserve.gateway.error;

/**
 * Carries an {@link ApiError} to the edge. Expected on bad input, so it has no stack
 * trace.
 */
public final class ApiException extends RuntimeException {

	private final transient ApiError error;

	ApiException(ApiError error) {
		super(error.message(), null, false, false);
		this.error = error;
	}

	/** The error to answer with. */
	public ApiError error() {
		return this.error;
	}

}
