package dev.llmserve.controller.deployments;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A deployment: the desired state of one model, as the admin API and the store hold it.
 *
 * @param name unique, DNS-label-like ({@value #NAME_PATTERN})
 * @param model the model (a Hugging Face id or a path)
 * @param engine the engine its replicas run
 * @param gpusPerReplica GPUs each replica gets on its worker
 * @param replicas how many replicas should serve
 * @param maxConcurrentPerReplica concurrent requests one replica should be given at most
 * (0: no limit)
 * @param drainTimeoutSeconds how long a replica being removed may finish its in-flight
 * streams
 * @param deleting whether it is being deleted: its replicas drain, then it disappears
 */
public record Deployment(String name, String model, Engine engine, int gpusPerReplica, int replicas,
		int maxConcurrentPerReplica, int drainTimeoutSeconds, boolean deleting) {

	public static final String NAME_PATTERN = "^[a-z0-9][a-z0-9-]{0,62}$";

	public static final int DEFAULT_DRAIN_TIMEOUT_SECONDS = 30;

	private static final Pattern NAME = Pattern.compile(NAME_PATTERN);

	public Deployment {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("name: %s (expected: %s)".formatted(name, NAME_PATTERN));
		}
		if (model == null || model.isBlank()) {
			throw new IllegalArgumentException("model: '%s' (expected: not blank)".formatted(model));
		}
		Objects.requireNonNull(engine, "engine");
		requireAtLeast("gpusPerReplica", gpusPerReplica, 1);
		requireAtLeast("replicas", replicas, 0);
		requireAtLeast("maxConcurrentPerReplica", maxConcurrentPerReplica, 0);
		requireAtLeast("drainTimeoutSeconds", drainTimeoutSeconds, 0);
	}

	private static void requireAtLeast(String field, int value, int min) {
		if (value < min) {
			throw new IllegalArgumentException("%s: %d (expected: >= %d)".formatted(field, value, min));
		}
	}

	/** How many replicas should run now: none once it is being deleted. */
	public int desiredReplicas() {
		return this.deleting ? 0 : this.replicas;
	}

	public Duration drainTimeout() {
		return Duration.ofSeconds(this.drainTimeoutSeconds);
	}

	public Deployment withReplicas(int replicas) {
		return new Deployment(this.name, this.model, this.engine, this.gpusPerReplica, replicas,
				this.maxConcurrentPerReplica, this.drainTimeoutSeconds, this.deleting);
	}

	public Deployment asDeleting() {
		return new Deployment(this.name, this.model, this.engine, this.gpusPerReplica, this.replicas,
				this.maxConcurrentPerReplica, this.drainTimeoutSeconds, true);
	}

}
