package dev.llmserve.worker.gpus;

import java.util.List;

/**
 * Decides which GPUs the node advertises: the configured ids, else what
 * {@code nvidia-smi} lists, else simulated slots.
 */
final class GpuDiscovery {

	private final NvidiaSmi nvidiaSmi;

	GpuDiscovery(NvidiaSmi nvidiaSmi) {
		this.nvidiaSmi = nvidiaSmi;
	}

	GpuInventory discover(List<String> configuredIds, int simulatedSlots) {
		if (!configuredIds.isEmpty()) {
			return new GpuInventory(configuredIds, "configured");
		}
		return this.nvidiaSmi.gpuIndexes()
			.map((indexes) -> new GpuInventory(indexes, "nvidia-smi"))
			.orElseGet(() -> GpuInventory.simulated(simulatedSlots));
	}

}
