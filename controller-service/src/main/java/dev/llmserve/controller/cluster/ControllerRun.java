package dev.llmserve.controller.cluster;

import java.util.UUID;

/**
 * Identifies this run of the controller: workers and gateways see it change when the
 * controller restarts.
 *
 * @param id random, per run
 */
public record ControllerRun(String id) {

	static ControllerRun random() {
		return new ControllerRun(UUID.randomUUID().toString().substring(0, 8));
	}

}
