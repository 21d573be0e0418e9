package dev.llmserve.replica.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * The simulator's Python sources, which ship in this jar under {@code python/}: copied to
 * a temporary directory so that {@code python3} can run them, unless a script on disk is
 * configured. Blocking file work: call it off event loops.
 */
final class SimulatorScripts {

	static final String ENTRY_POINT = "llmserve_sim.py";

	private static final String LOCATION = "python/";

	private static final Logger log = LoggerFactory.getLogger(SimulatorScripts.class);

	private final ResourcePatternResolver resolver;

	private volatile Path extracted;

	SimulatorScripts(ClassLoader classLoader) {
		this.resolver = new PathMatchingResourcePatternResolver(classLoader);
	}

	/** The script to run: {@code configured} if set, else the bundled one, extracted. */
	Path entryPoint(Path configured) throws IOException {
		if (configured != null) {
			if (!Files.isRegularFile(configured)) {
				throw new IOException("simulator-path: " + configured + " (expected: an existing script)");
			}
			return configured;
		}
		return extract().resolve(ENTRY_POINT);
	}

	/** Removes what {@link #entryPoint} extracted, if anything. */
	void cleanUp() {
		Path directory = this.extracted;
		if (directory == null) {
			return;
		}
		try (Stream<Path> files = Files.walk(directory)) {
			files.sorted(Comparator.reverseOrder()).forEach(SimulatorScripts::deleteQuietly);
		}
		catch (IOException ex) {
			log.debug("Could not remove {}", directory, ex);
		}
	}

	private synchronized Path extract() throws IOException {
		Resource entry = this.resolver.getResource("classpath:" + LOCATION + ENTRY_POINT);
		if (!entry.exists()) {
			throw new IOException("The simulator is not on the classpath (" + LOCATION + ENTRY_POINT + ")");
		}
		String base = entry.getURL().toString();
		base = base.substring(0, base.length() - ENTRY_POINT.length());
		Path directory = Files.createTempDirectory("llmserve-sim-");
		for (Resource resource : this.resolver.getResources("classpath*:" + LOCATION + "**")) {
			String url = resource.getURL().toString();
			if (url.startsWith(base) && !url.endsWith("/") && resource.isReadable()) {
				copy(resource, directory.resolve(url.substring(base.length())));
			}
		}
		this.extracted = directory;
		log.info("Extracted the simulator to {}", directory);
		return directory;
	}

	private static void copy(Resource resource, Path target) throws IOException {
		Files.createDirectories(target.getParent());
		try (InputStream in = resource.getInputStream()) {
			Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	private static void deleteQuietly(Path path) {
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			log.debug("Could not remove {}", path, ex);
		}
	}

}
