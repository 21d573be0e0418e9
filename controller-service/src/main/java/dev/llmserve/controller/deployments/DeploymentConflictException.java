package dev.llmserve.controller.deployments;

/**
 * The change conflicts with the deployment's current state (it exists, it is being
 * deleted).
 */
public class DeploymentConflictException extends RuntimeException {

	DeploymentConflictException(String message) {
		super(message);
	}

}
