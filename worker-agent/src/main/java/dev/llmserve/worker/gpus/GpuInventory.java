package dev.llmserve.worker.gpus;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The GPUs this node offers, as {@code CUDA_VISIBLE_DEVICES} ids, and where the list came
 * from.
 *
 * @param ids the GPU ids, in order
 * @param source {@code configured}, {@code nvidia-smi} or {@code simulated}
 */
public record GpuInventory(List<String> ids, String source) {

	public GpuInventory {
		ids = List.copyOf(ids);
		if (ids.stream().distinct().count() != ids.size()) {
			throw new IllegalArgumentException("gpuIds: %s (expected: distinct ids)".formatted(ids));
		}
	}

	/** {@code count} simulated slots named {@code 0} to {@code count - 1}. */
	public static GpuInventory simulated(int count) {
		return new GpuInventory(IntStream.range(0, count).mapToObj(Integer::toString).toList(), "simulated");
	}

	public boolean contains(String id) {
		return this.ids.contains(id);
	}

}
