package dev.llmserve.controller.deployments;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployments as a JSON file, replaced atomically on every write (a temporary file in
 * the same directory, fsync, atomic rename, fsync of the directory), so that a crash
 * leaves either the old content or the new one, never half a file. Blocking: callers run
 * it off event loops.
 */
final class DeploymentFile {

	private static final Logger logger = LoggerFactory.getLogger(DeploymentFile.class);

	private final Path path;

	private final ObjectMapper json = JsonMapper.builder()
		.enable(SerializationFeature.INDENT_OUTPUT)
		// Fields added by a newer controller must not make this one refuse the file.
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.build();

	DeploymentFile(Path path) {
		this.path = path.toAbsolutePath().normalize();
	}

	Path path() {
		return this.path;
	}

	/** The stored deployments, or empty when the file does not exist (a new store). */
	Optional<StoredDeployments> read() {
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(this.path);
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
		catch (IOException | RuntimeException ex) {
			throw failure("cannot be read", ex);
		}
		try {
			return Optional.of(check(this.json.readValue(bytes, StoredDeployments.class)));
		}
		catch (IOException | RuntimeException ex) {
			throw failure("is corrupt", ex);
		}
	}

	void write(StoredDeployments content) {
		try {
			Path directory = this.path.getParent();
			Files.createDirectories(directory);
			Path temporary = Files.createTempFile(directory, this.path.getFileName().toString(), ".tmp");
			try {
				writeSynced(temporary, this.json.writeValueAsBytes(content));
				Files.move(temporary, this.path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			finally {
				Files.deleteIfExists(temporary);
			}
			syncDirectory(directory);
		}
		catch (IOException ex) {
			throw new DeploymentStoreException("Cannot write the deployment store " + this.path + ": " + ex, ex);
		}
	}

	private static void writeSynced(Path file, byte[] bytes) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
				StandardOpenOption.TRUNCATE_EXISTING)) {
			ByteBuffer buffer = ByteBuffer.wrap(bytes);
			while (buffer.hasRemaining()) {
				channel.write(buffer);
			}
			channel.force(true);
		}
	}

	/** Makes the rename itself durable; not every platform lets a directory be opened. */
	private static void syncDirectory(Path directory) {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException | UnsupportedOperationException ex) {
			logger.debug("Cannot fsync directory {}", directory, ex);
		}
	}

	private static StoredDeployments check(StoredDeployments content) {
		if (content == null) {
			throw new IllegalArgumentException("the file holds no object");
		}
		Set<String> names = new HashSet<>();
		content.deployments().forEach((deployment) -> {
			if (!names.add(deployment.name())) {
				throw new IllegalArgumentException("deployment '%s' appears twice".formatted(deployment.name()));
			}
		});
		return content;
	}

	private DeploymentStoreException failure(String problem, Exception cause) {
		return new DeploymentStoreException("The deployment store %s %s (%s). Fix the file or move it away to start "
			.formatted(this.path, problem, cause.getMessage()) + "with no deployments; it is never reset silently.",
				cause);
	}

}
