package dev.llmserve.controller.deployments;

import java.util.List;

/** Deployments for tests. */
public final class Deployments {

	private Deployments() {
	}

	public static Deployment sim(String name, int replicas) {
		return sim(name, replicas, 1);
	}

	public static Deployment sim(String name, int replicas, int gpusPerReplica) {
		return new Deployment(name, "TinyLlama/TinyLlama-1.1B-Chat-v1.0",
				new Engine(Engine.SIM, "instant", List.of("--fixed-itl-ms", "10")), gpusPerReplica, replicas, 64,
				Deployment.DEFAULT_DRAIN_TIMEOUT_SECONDS, false);
	}

}
