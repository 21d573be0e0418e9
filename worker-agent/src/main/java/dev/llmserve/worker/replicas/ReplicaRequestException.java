package dev.llmserve.worker.replicas;

/**
 * A replica request this worker refuses; the gRPC service maps the reason to a status.
 */
final class ReplicaRequestException extends RuntimeException {

	enum Reason {

		/** The request itself is wrong (INVALID_ARGUMENT). */
		INVALID,
		/** A GPU it asks for is taken (FAILED_PRECONDITION). */
		GPU_IN_USE,
		/** The id already runs something else (ALREADY_EXISTS). */
		CONFLICT,
		/** No replica has this id (NOT_FOUND). */
		NOT_FOUND,
		/** The worker is shutting down (UNAVAILABLE). */
		SHUTTING_DOWN

	}

	private final Reason reason;

	ReplicaRequestException(Reason reason, String message) {
		super(message, null, false, false);
		this.reason = reason;
	}

	Reason reason() {
		return this.reason;
	}

}
