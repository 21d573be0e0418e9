package dev.llmserve.worker.replicas;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says plainly, at startup, that the replica jar is missing and what to do about it. */
final class MissingReplicaJarFailureAnalyzer extends AbstractFailureAnalyzer<MissingReplicaJarException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MissingReplicaJarException cause) {
		String description = cause.isConfigured()
				? "The replica-service jar set in llmserve.worker.replica-jar does not exist: " + cause.jar()
				: "The replica-service jar is not where this worker looks for it: " + cause.jar();
		String action = "Build it (./mvnw -DskipTests package in the repository root), or point "
				+ "llmserve.worker.replica-jar (e.g. --llmserve.worker.replica-jar=/path/to/replica-service.jar) at one.";
		return new FailureAnalysis(description, action, cause);
	}

}
