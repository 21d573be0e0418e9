package dev.llmserve.controller.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import dev.llmserve.process.ManagedProcess;
import dev.llmserve.process.ProcessSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs a Spring Boot jar so that it starts in about half the CPU time, at no cost once it
 * runs: extracted once (classes load from a plain class path, not from nested jars), with
 * a class-data-sharing archive of the classes it loads while starting (AppCDS, made by
 * one training run that exits once the application context is refreshed). Both are Spring
 * Boot's documented recipe; both are cached under a directory named after the jar's size
 * and modification time (and the JVM and options that run it), so that a rebuilt jar gets
 * a fresh cache. If anything fails, the jar runs as it is.
 *
 * <p>
 * The training happens before the first start from a cache, so that every start, the
 * first one included, uses the archive and the command line never changes (which adoption
 * by the next controller compares).
 */
final class FastStartCache implements JarLaunch {

	private static final Logger log = LoggerFactory.getLogger(FastStartCache.class);

	private static final Duration STEP_TIMEOUT = Duration.ofMinutes(3);

	private final Path jar;

	private final Path directory;

	private final Path java;

	private final List<String> jvmOptions;

	private final Path logs;

	private volatile boolean usable;

	/**
	 * @param jar the Spring Boot jar
	 * @param cacheRoot where caches go, one directory per jar build
	 * @param java the JVM that will run it, this controller's (an archive only fits the
	 * JVM and the options that made it, so the cache is also named after them)
	 * @param jvmOptions the options it will run with, used for the training run too
	 * @param logs where the output of extraction and training goes
	 */
	FastStartCache(Path jar, Path cacheRoot, Path java, List<String> jvmOptions, Path logs) {
		this.jar = jar;
		this.directory = cacheRoot.resolve(stem() + "-" + fingerprint(jar, java, jvmOptions));
		this.java = java;
		this.jvmOptions = List.copyOf(jvmOptions);
		this.logs = logs;
	}

	Path directory() {
		return this.directory;
	}

	Path extractedJar() {
		return this.directory.resolve(this.jar.getFileName());
	}

	Path archive() {
		return this.directory.resolve(stem() + ".jsa");
	}

	@Override
	public List<String> javaArguments() {
		return this.usable ? List.of("-XX:SharedArchiveFile=" + archive(), "-jar", extractedJar().toString())
				: List.of("-jar", this.jar.toString());
	}

	/**
	 * Extracts the jar and trains the archive, unless an earlier run did; never fails.
	 */
	@Override
	public Mono<Void> prepare() {
		return extract().flatMap((extracted) -> extracted ? train() : Mono.just(false)).onErrorResume((ex) -> {
			log.warn("Could not prepare the faster start of {}: {}", this.jar, ex.toString());
			return Mono.just(false);
		}).doOnNext((ready) -> {
			this.usable = ready;
			if (!ready) {
				log.warn("Running {} as it is, without the faster start (see {})", this.jar, this.logs);
			}
		}).subscribeOn(Schedulers.boundedElastic()).then();
	}

	/**
	 * Deletes the caches of other builds of the jar. Call it once no process runs from
	 * them any more: after the child was adopted (same build) or replaced.
	 */
	@Override
	public Mono<Void> discardOthers() {
		return Mono.fromRunnable(() -> {
			Path root = this.directory.getParent();
			if (root == null || !Files.isDirectory(root)) {
				return;
			}
			try (Stream<Path> caches = Files.list(root)) {
				caches.filter((cache) -> !cache.equals(this.directory))
					.filter((cache) -> cache.getFileName().toString().startsWith(stem() + "-"))
					.forEach(FastStartCache::deleteRecursively);
			}
			catch (IOException | UncheckedIOException ex) {
				log.warn("Could not delete old caches of {} under {}: {}", this.jar.getFileName(), root, ex.toString());
			}
		}).subscribeOn(Schedulers.boundedElastic()).then();
	}

	private Mono<Boolean> extract() {
		return Mono.defer(() -> Files.isRegularFile(extractedJar()) ? Mono.just(true) : runExtraction());
	}

	private Mono<Boolean> runExtraction() {
		Path staging = this.directory.resolveSibling(this.directory.getFileName() + ".extracting");
		return Mono.fromRunnable(() -> deleteRecursively(staging))
			.then(run("extract",
					List.of(this.java.toString(), "-Djarmode=tools", "-jar", this.jar.toString(), "extract",
							"--destination", staging.toString())))
			.map((succeeded) -> succeeded && Files.isRegularFile(staging.resolve(this.jar.getFileName()))
					&& move(staging, this.directory))
			.subscribeOn(Schedulers.boundedElastic());
	}

	private Mono<Boolean> train() {
		return Mono.defer(() -> Files.isRegularFile(archive()) ? Mono.just(true) : runTraining());
	}

	private Mono<Boolean> runTraining() {
		Path staging = archive().resolveSibling(archive().getFileName() + ".training");
		deleteRecursively(staging);
		List<String> command = new ArrayList<>();
		command.add(this.java.toString());
		command.addAll(this.jvmOptions);
		command.addAll(List.of("-XX:ArchiveClassesAtExit=" + staging, "-Dspring.context.exit=onRefresh", "-jar",
				extractedJar().toString(), "--server.port=0"));
		log.info("Training the class-data archive of {} (once per build; the next starts take half the CPU)",
				this.jar.getFileName());
		return run("train", command)
			.map((succeeded) -> succeeded && Files.isRegularFile(staging) && move(staging, archive()));
	}

	/** Runs a step to its end; emits whether it exited with 0. */
	private Mono<Boolean> run(String step, List<String> command) {
		Path logFile = this.logs.resolve(stem() + "-" + step + ".log");
		return Mono
			.fromCallable(() -> ManagedProcess.start(ProcessSpec.of(stem() + " " + step, command).withLogFile(logFile)))
			.flatMap((process) -> Mono.fromFuture(process.onExit())
				.timeout(STEP_TIMEOUT)
				.onErrorResume((ex) -> Mono.fromCallable(() -> process.stop(Duration.ofSeconds(5)))
					.subscribeOn(Schedulers.boundedElastic())
					.thenReturn(-1)))
			.map((exitCode) -> exitCode == 0)
			.onErrorResume((ex) -> {
				log.warn("Could not {} {}: {}", step, this.jar, ex.toString());
				return Mono.just(false);
			})
			.subscribeOn(Schedulers.boundedElastic());
	}

	private String stem() {
		String name = this.jar.getFileName().toString();
		return name.toLowerCase(Locale.ROOT).endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
	}

	/** The jar's size and time, and the JVM and options that the archive must fit. */
	private static String fingerprint(Path jar, Path java, List<String> jvmOptions) {
		String jvm = Integer.toHexString((java + " " + Runtime.version() + " " + jvmOptions).hashCode());
		try {
			BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
			return Long.toHexString(attributes.size()) + "-"
					+ Long.toHexString(attributes.lastModifiedTime().toMillis()) + "-" + jvm;
		}
		catch (IOException ex) {
			return "unknown-" + jvm;
		}
	}

	private static boolean move(Path from, Path to) {
		try {
			Files.createDirectories(to.toAbsolutePath().getParent());
			Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
			return true;
		}
		catch (IOException ex) {
			// Another controller on the same data directory got there first, or the disk
			// is full.
			log.warn("Could not move {} to {}: {}", from, to, ex.toString());
			return Files.exists(to);
		}
	}

	private static void deleteRecursively(Path path) {
		if (!Files.exists(path)) {
			return;
		}
		try (Stream<Path> files = Files.walk(path)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(file);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
