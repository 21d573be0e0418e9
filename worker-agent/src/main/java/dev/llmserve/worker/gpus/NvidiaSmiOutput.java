package dev.llmserve.worker.gpus;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code nvidia-smi --query-gpu=index --format=csv,noheader}: one GPU index a line.
 */
final class NvidiaSmiOutput {

	private NvidiaSmiOutput() {
	}

	/**
	 * The GPU indexes, in the order printed.
	 * @throws IllegalArgumentException if a line is not an index
	 */
	static List<String> parseIndexes(String output) {
		List<String> indexes = new ArrayList<>();
		for (String line : output.split("\\R")) {
			String index = line.trim();
			if (index.isEmpty()) {
				continue;
			}
			if (!index.chars().allMatch(Character::isDigit)) {
				throw new IllegalArgumentException("nvidia-smi line: '%s' (expected: a GPU index)".formatted(index));
			}
			indexes.add(index);
		}
		return List.copyOf(indexes);
	}

}
