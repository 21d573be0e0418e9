package dev.llmserve.controller.discovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A Prometheus file-based service discovery file ({@code file_sd_configs}): a JSON list
 * of target groups, one per target. Prometheus re-reads it when it changes, so it must
 * never be seen half-written: it is written to a temporary file beside it and moved over
 * it.
 */
final class ScrapeTargetsFile {

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private final Path file;

	private byte[] written;

	ScrapeTargetsFile(Path file) {
		this.file = file;
	}

	Path path() {
		return this.file;
	}

	/**
	 * Replaces the file's contents with {@code targets}, sorted by address.
	 * @return whether the file changed (it is not touched when the list is the same)
	 */
	synchronized boolean write(List<ScrapeTarget> targets) throws IOException {
		byte[] json = JSON.writeValueAsBytes(groups(targets));
		if (Arrays.equals(json, this.written) && Files.exists(this.file)) {
			return false;
		}
		Path temporary = this.file.resolveSibling(this.file.getFileName() + ".tmp");
		Files.createDirectories(this.file.toAbsolutePath().getParent());
		try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
				StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
			ByteBuffer buffer = ByteBuffer.wrap(json);
			while (buffer.hasRemaining()) {
				channel.write(buffer);
			}
			channel.force(true);
		}
		Files.move(temporary, this.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		this.written = json;
		return true;
	}

	private static List<TargetGroup> groups(List<ScrapeTarget> targets) {
		return targets.stream()
			.sorted(Comparator.comparing(ScrapeTarget::address)
				.thenComparing((target) -> target.sortedLabels().toString()))
			.map((target) -> new TargetGroup(List.of(target.address()), target.sortedLabels()))
			.toList();
	}

	/** Prometheus' shape: {@code {"targets": ["host:port"], "labels": {...}}}. */
	record TargetGroup(List<String> targets, Map<String, String> labels) {
	}

}
