package dev.llmserve.controller.deployments;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why a deployment is not as desired (e.g. no worker has free GPUs), for operators: shown
 * by the admin API and logged once per change, not on every reconciliation.
 */
public final class DeploymentConditions {

	private static final Logger logger = LoggerFactory.getLogger(DeploymentConditions.class);

	private final ConcurrentMap<String, String> messages = new ConcurrentHashMap<>();

	/** Records the deployment's problem. */
	public void report(String deployment, String message) {
		Objects.requireNonNull(message, "message");
		String previous = this.messages.put(deployment, message);
		if (!message.equals(previous)) {
			logger.warn("Deployment {}: {}", deployment, message);
		}
	}

	/** The deployment has no problem any more. */
	public void clear(String deployment) {
		if (this.messages.remove(deployment) != null) {
			logger.info("Deployment {}: as desired again", deployment);
		}
	}

	public Optional<String> message(String deployment) {
		return Optional.ofNullable(this.messages.get(deployment));
	}

}
