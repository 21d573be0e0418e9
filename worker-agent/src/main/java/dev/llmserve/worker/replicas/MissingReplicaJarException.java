package dev.llmserve.worker.replicas;

import java.nio.file.Path;

/** There is no replica-service jar where the worker looks for it. */
final class MissingReplicaJarException extends IllegalStateException {

	private final Path jar;

	private final boolean configured;

	MissingReplicaJarException(Path jar, boolean configured) {
		super(configured ? "llmserve.worker.replica-jar: %s (expected: an existing replica-service jar)".formatted(jar)
				: "The replica-service jar is missing: %s (expected: built with ./mvnw -DskipTests package, or set llmserve.worker.replica-jar)"
					.formatted(jar));
		this.jar = jar;
		this.configured = configured;
	}

	Path jar() {
		return this.jar;
	}

	boolean isConfigured() {
		return this.configured;
	}

}
