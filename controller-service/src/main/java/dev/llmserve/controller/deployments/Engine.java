package dev.llmserve.controller.deployments;

import java.util.List;

/**
 * The engine a deployment's replicas run.
 *
 * @param kind {@value #SIM} (the simulator) or {@value #VLLM}
 * @param profile the simulator's profile; empty for vLLM
 * @param args extra engine command-line arguments
 */
public record Engine(String kind, String profile, List<String> args) {

	public static final String SIM = "sim";

	public static final String VLLM = "vllm";

	/** The simulator's calibrated profiles. */
	public static final List<String> SIM_PROFILES = List.of("instant", "tinyllama-a10g", "llama3-8b-a10g");

	public Engine {
		if (!SIM.equals(kind) && !VLLM.equals(kind)) {
			throw new IllegalArgumentException("engine.kind: %s (expected: sim or vllm)".formatted(kind));
		}
		profile = (profile != null) ? profile : "";
		if (SIM.equals(kind) && !SIM_PROFILES.contains(profile)) {
			throw new IllegalArgumentException(
					"engine.profile: %s (expected: one of %s)".formatted(profile, String.join(", ", SIM_PROFILES)));
		}
		args = (args != null) ? List.copyOf(args) : List.of();
	}

}
