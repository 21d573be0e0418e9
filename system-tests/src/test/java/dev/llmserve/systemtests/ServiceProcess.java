package dev.llmserve.systemtests;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.llmserve.process.ManagedProcess;
import dev.llmserve.process.ProcessSpec;

/** One of our service jars running as a real child process of the test JVM. */
final class ServiceProcess implements AutoCloseable {

	static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	/**
	 * Small heaps and C1 only: these JVMs must start fast on two cores, not run
	 * benchmarks.
	 */
	private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
			"-Xss512k");

	private final ManagedProcess process;

	private ServiceProcess(ManagedProcess process) {
		this.process = process;
	}

	static ServiceProcess startJar(String name, String module, List<String> arguments) throws IOException {
		Path jar = root().resolve(module).resolve("target").resolve(module + ".jar");
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar + " is missing: run the build (./mvnw verify) first");
		}
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(JVM_OPTIONS);
		command.add("-jar");
		command.add(jar.toString());
		command.addAll(arguments);
		return new ServiceProcess(ManagedProcess.start(ProcessSpec.of(name, command)));
	}

	static Path root() {
		return Path.of(System.getProperty("llmserve.root", "..")).toAbsolutePath().normalize();
	}

	ManagedProcess process() {
		return this.process;
	}

	/**
	 * Waits until {@code url} answers 200, failing early (with the child's output) if it
	 * dies.
	 */
	void awaitOk(URI url, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.process.name() + " exited with "
						+ this.process.onExit().getNow(null) + "; last output:\n" + lastOutput());
			}
			if (answersOk(url)) {
				return;
			}
			Thread.sleep(100);
		}
		throw new IllegalStateException(
				this.process.name() + " not ready at " + url + " after " + timeout + "; last output:\n" + lastOutput());
	}

	private static boolean answersOk(URI url) throws InterruptedException {
		try {
			HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build();
			return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
		}
		catch (ConnectException ex) {
			return false;
		}
		catch (IOException ex) {
			return false;
		}
	}

	String lastOutput() {
		return String.join("\n", this.process.recentOutput());
	}

	@Override
	public void close() {
		this.process.stop(Duration.ofSeconds(10));
	}

}
