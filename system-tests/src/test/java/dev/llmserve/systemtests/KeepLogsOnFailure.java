package dev.llmserve.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Copies a cluster's log files (gateway, workers and the replicas and engines they ran)
 * out of its temporary data directory when a test fails, to
 * {@code target/cluster-logs/<test class>/<test method>}: the data directory is deleted
 * with the test (after each callback, so the copy runs before it is), and a failure that
 * happens one run in ten is only fixable from its logs.
 */
final class KeepLogsOnFailure implements AfterEachCallback {

	private final Supplier<Path> dataDir;

	KeepLogsOnFailure(Supplier<Path> dataDir) {
		this.dataDir = dataDir;
	}

	@Override
	public void afterEach(ExtensionContext context) {
		if (context.getExecutionException().isEmpty()) {
			return;
		}
		Path logs = this.dataDir.get().resolve("logs");
		if (!Files.isDirectory(logs)) {
			return;
		}
		Path target = ServiceProcess.root()
			.resolve("system-tests/target/cluster-logs")
			.resolve(context.getRequiredTestClass().getSimpleName())
			.resolve(context.getRequiredTestMethod().getName());
		try (Stream<Path> files = Files.walk(logs)) {
			files.filter(Files::isRegularFile).forEach((file) -> copy(file, target.resolve(logs.relativize(file))));
			System.err.println("Logs of the failed test kept in " + target);
		}
		catch (IOException | UncheckedIOException ex) {
			System.err.println("Could not keep the logs of " + logs + ": " + ex);
		}
	}

	private static void copy(Path file, Path to) {
		try {
			Files.createDirectories(to.getParent());
			Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
