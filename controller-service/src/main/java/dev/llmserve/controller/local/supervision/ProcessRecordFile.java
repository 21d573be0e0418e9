package dev.llmserve.controller.local.supervision;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The supervised children, one JSON file ({@code processes.json}) that always holds a
 * complete list: it is written to a temporary file and moved over the old one.
 */
public final class ProcessRecordFile {

	private static final JsonMapper JSON = JsonMapper.builder()
		.addModule(new JavaTimeModule())
		.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(SerializationFeature.INDENT_OUTPUT)
		.build();

	private final Path file;

	private final List<ChildRecord> records;

	/**
	 * Reads the file, if there is one.
	 * @throws IllegalStateException if the file exists and cannot be read: starting
	 * without it could start second copies of children that are still running
	 */
	public ProcessRecordFile(Path file) {
		this.file = file;
		this.records = new ArrayList<>(read(file));
	}

	public Path path() {
		return this.file;
	}

	synchronized List<ChildRecord> all() {
		return List.copyOf(this.records);
	}

	synchronized Optional<ChildRecord> find(String id) {
		return this.records.stream().filter((record) -> record.id().equals(id)).findFirst();
	}

	/** Records {@code record}, replacing the one with the same id. */
	synchronized void put(ChildRecord record) {
		this.records.removeIf((existing) -> existing.id().equals(record.id()));
		this.records.add(record);
		this.records.sort(Comparator.comparing(ChildRecord::id));
		write();
	}

	synchronized void remove(String id) {
		if (this.records.removeIf((record) -> record.id().equals(id))) {
			write();
		}
	}

	private static List<ChildRecord> read(Path file) {
		if (!Files.exists(file)) {
			return List.of();
		}
		try {
			Contents contents = JSON.readValue(file.toFile(), Contents.class);
			return (contents.processes() != null) ? contents.processes() : List.of();
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException(("%s cannot be read (%s). It lists the gateway and worker processes "
					+ "an earlier controller started; stop any of them still running and delete the file.")
				.formatted(file, ex.getMessage()), ex);
		}
	}

	private void write() {
		Path temporary = this.file.resolveSibling(this.file.getFileName() + ".tmp");
		try {
			Files.createDirectories(this.file.toAbsolutePath().getParent());
			byte[] json = JSON.writeValueAsBytes(new Contents(List.copyOf(this.records)));
			try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
					StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
				ByteBuffer buffer = ByteBuffer.wrap(json);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				channel.force(true);
			}
			Files.move(temporary, this.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + this.file, ex);
		}
	}

	/** The file's shape: {@code {"processes": [...]}}, room for more fields later. */
	record Contents(List<ChildRecord> processes) {
	}

}
