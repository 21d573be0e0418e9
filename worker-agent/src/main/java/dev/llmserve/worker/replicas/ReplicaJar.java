package dev.llmserve.worker.replicas;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the replica-service jar: the configured one, else the one built beside this
 * worker in the same source tree.
 */
final class ReplicaJar {

	static final Path IN_MODULE = Path.of("replica-service", "target", "replica-service.jar");

	private ReplicaJar() {
	}

	/**
	 * @param configured {@code llmserve.worker.replica-jar}, or {@code null}
	 * @param home the directory of this worker's jar ({@code <repo>/worker-agent/target})
	 * or, when not run from a jar, its working directory
	 * @throws MissingReplicaJarException if there is no such jar
	 */
	static Path resolve(Path configured, Path home) {
		if (configured != null) {
			if (!Files.isRegularFile(configured)) {
				throw new MissingReplicaJarException(configured.toAbsolutePath(), true);
			}
			return configured.toAbsolutePath();
		}
		List<Path> candidates = candidates(home.toAbsolutePath().normalize());
		return candidates.stream()
			.filter(Files::isRegularFile)
			.findFirst()
			.orElseThrow(() -> new MissingReplicaJarException(candidates.get(0), false));
	}

	/**
	 * {@code <repo>/worker-agent/target}, then {@code <repo>/worker-agent}, then
	 * {@code <repo>}.
	 */
	private static List<Path> candidates(Path home) {
		Path parent = (home.getParent() != null) ? home.getParent() : home;
		Path grandParent = (parent.getParent() != null) ? parent.getParent() : parent;
		return List.of(grandParent.resolve(IN_MODULE), parent.resolve(IN_MODULE), home.resolve(IN_MODULE));
	}

}
