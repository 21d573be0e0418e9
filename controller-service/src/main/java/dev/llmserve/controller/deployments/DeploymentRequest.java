package dev.llmserve.controller.deployments;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * A deployment as clients (the admin API) and configuration seeds describe it; missing
 * optional fields take their defaults.
 *
 * @param name unique name
 * @param model the model (a Hugging Face id or a path)
 * @param engine its engine
 * @param gpusPerReplica default 1
 * @param replicas default 1
 * @param maxConcurrentPerReplica default 0 (no limit)
 * @param drainTimeoutSeconds default 30
 */
public record DeploymentRequest(@NotNull @Pattern(regexp = Deployment.NAME_PATTERN,
		message = "must be 1-63 lower-case letters, digits or dashes, starting with a letter or digit") String name,
		@NotBlank String model, @NotNull @Valid EngineRequest engine, @Min(1) Integer gpusPerReplica,
		@Min(0) Integer replicas, @Min(0) Integer maxConcurrentPerReplica, @Min(0) Integer drainTimeoutSeconds) {

	public Deployment toDeployment() {
		return new Deployment(this.name, this.model, this.engine.toEngine(), orDefault(this.gpusPerReplica, 1),
				orDefault(this.replicas, 1), orDefault(this.maxConcurrentPerReplica, 0),
				orDefault(this.drainTimeoutSeconds, Deployment.DEFAULT_DRAIN_TIMEOUT_SECONDS), false);
	}

	private static int orDefault(Integer value, int fallback) {
		return (value != null) ? value : fallback;
	}

}
