package dev.llmserve.gateway.error;

/**
 * Ends a response that has already started, so that Reactor Netty closes the connection
 * without the terminating chunk. It deliberately has no cause: Spring treats a failure
 * whose cause chain says "connection reset by peer" (as a replica that died does) like a
 * client that went away, and would end the response cleanly, as if the generation had
 * succeeded.
 */
final class ResponseAbortedException extends RuntimeException {

	ResponseAbortedException(ApiError error) {
		super("Response aborted after it started (%d %s)".formatted(error.status(), error.type()), null, false, false);
	}

}
