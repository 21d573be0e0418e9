package dev.llmserve.controller.deployments;

/** No deployment has this name. */
public class DeploymentNotFoundException extends RuntimeException {

	public DeploymentNotFoundException(String name) {
		super("deployment '%s' not found".formatted(name));
	}

}
