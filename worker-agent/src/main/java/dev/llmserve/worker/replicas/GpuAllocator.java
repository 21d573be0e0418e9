package dev.llmserve.worker.replicas;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import dev.llmserve.worker.gpus.GpuInventory;
import dev.llmserve.worker.replicas.ReplicaRequestException.Reason;

/** Which replica holds which of the node's GPUs. */
final class GpuAllocator {

	private final GpuInventory inventory;

	private final Map<String, String> owners = new HashMap<>();

	GpuAllocator(GpuInventory inventory) {
		this.inventory = inventory;
	}

	List<String> gpuIds() {
		return this.inventory.ids();
	}

	/**
	 * Gives {@code gpuIds} to the replica.
	 * @throws ReplicaRequestException if an id is not this node's, is repeated or is held
	 * by another replica
	 */
	synchronized void claim(String replicaId, List<String> gpuIds) {
		check(replicaId, gpuIds);
		gpuIds.forEach((gpu) -> this.owners.put(gpu, replicaId));
	}

	synchronized void release(String replicaId) {
		this.owners.values().removeIf(replicaId::equals);
	}

	synchronized Map<String, String> owners() {
		return Map.copyOf(this.owners);
	}

	private void check(String replicaId, List<String> gpuIds) {
		if (gpuIds.isEmpty()) {
			throw new ReplicaRequestException(Reason.INVALID,
					"gpu_ids: [] (expected: one or more of this worker's GPUs %s)".formatted(this.inventory.ids()));
		}
		if (new HashSet<>(gpuIds).size() != gpuIds.size()) {
			throw new ReplicaRequestException(Reason.INVALID, "gpu_ids: %s (expected: distinct ids)".formatted(gpuIds));
		}
		for (String gpu : gpuIds) {
			if (!this.inventory.contains(gpu)) {
				throw new ReplicaRequestException(Reason.INVALID,
						"gpu_ids: %s (expected: ids among this worker's %s)".formatted(gpuIds, this.inventory.ids()));
			}
			String owner = this.owners.get(gpu);
			if (owner != null && !owner.equals(replicaId)) {
				throw new ReplicaRequestException(Reason.GPU_IN_USE,
						"gpu_ids: GPU %s is in use by replica %s (expected: free GPUs)".formatted(gpu, owner));
			}
		}
	}

}
