package dev.llmserve.controller.deployments;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * The engine part of a {@link DeploymentRequest}.
 *
 * @param kind {@code sim} or {@code vllm}
 * @param profile the simulator's profile (required for {@code sim})
 * @param args extra engine command-line arguments
 */
@KnownProfile
public record EngineRequest(@NotBlank @Pattern(regexp = "sim|vllm", message = "must be sim or vllm") String kind,
		String profile, List<String> args) {

	Engine toEngine() {
		return new Engine(this.kind, this.profile, this.args);
	}

}
