package dev.llmserve.controller.deployments;

import java.util.List;

/**
 * The content of the deployment store's file.
 *
 * @param version the file format's version
 * @param deployments every deployment, including those being deleted
 * @param seeded names of configuration seeds already applied to this store, so that a
 * seed an operator deleted is not created again at the next start
 */
record StoredDeployments(int version, List<Deployment> deployments, List<String> seeded) {

	static final int CURRENT_VERSION = 1;

	StoredDeployments {
		deployments = List.copyOf(deployments);
		seeded = (seeded != null) ? List.copyOf(seeded) : List.of();
	}

	static StoredDeployments empty() {
		return new StoredDeployments(CURRENT_VERSION, List.of(), List.of());
	}

}
