package dev.llmserve.loadgen.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import reactor.netty.http.client.PrematureCloseException;

/** Maps what went wrong with a request to the outcome the report counts it under. */
final class FailureClassifier {

	private FailureClassifier() {
	}

	static Outcome classify(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			Outcome outcome = classifyOne(cause);
			if (outcome != null) {
				return outcome;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return (failure instanceof IOException) ? Outcome.STREAM_BROKEN : Outcome.OTHER;
	}

	private static Outcome classifyOne(Throwable cause) {
		if (cause instanceof TimeoutException || cause instanceof io.netty.handler.timeout.TimeoutException) {
			return Outcome.TIMEOUT;
		}
		if (cause instanceof ConnectException || cause instanceof UnknownHostException
				|| cause instanceof NoRouteToHostException
				|| cause.getClass().getSimpleName().startsWith("PoolAcquire")) {
			return Outcome.CONNECT_ERROR;
		}
		if (cause instanceof PrematureCloseException) {
			return Outcome.STREAM_BROKEN;
		}
		return null;
	}

	/** A one-line description of the failure for the report. */
	static String describe(Throwable failure) {
		String message = failure.getMessage();
		String text = failure.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
		return EventStreamParser.truncate(text);
	}

}
