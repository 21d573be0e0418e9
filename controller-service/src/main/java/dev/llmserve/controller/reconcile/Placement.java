package dev.llmserve.controller.reconcile;

import java.util.List;

/** Where a new replica goes: a worker and concrete GPU ids on it. */
record Placement(String workerId, String address, List<String> gpuIds) {

	Placement {
		gpuIds = List.copyOf(gpuIds);
	}

}
