package dev.llmserve.gateway.admission;

/**
 * Why a request was not admitted; {@link #tag()} is the {@code reason} tag of
 * {@code llmserve.gateway.admission.rejected}.
 */
enum Rejection {

	/** Every permit is taken and the queue is full. */
	QUEUE_FULL("queue_full"),

	/** The request waited in the queue for the longest allowed and got no permit. */
	WAIT_TIMEOUT("wait_timeout"),

	/** No replica of the deployment can take a request (none ready, all cooling down). */
	NO_REPLICA("no_replica");

	private final String tag;

	Rejection(String tag) {
		this.tag = tag;
	}

	String tag() {
		return this.tag;
	}

}
