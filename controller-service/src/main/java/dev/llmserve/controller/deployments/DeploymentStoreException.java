package dev.llmserve.controller.deployments;

/**
 * The deployment store cannot be read or written. At startup this stops the controller:
 * it never starts from an empty store when the file holds something it cannot read.
 */
public class DeploymentStoreException extends RuntimeException {

	DeploymentStoreException(String message, Throwable cause) {
		super(message, cause);
	}

}
