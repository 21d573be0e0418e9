package dev.llmserve.worker.gpus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks {@code nvidia-smi} which GPUs the node has. Runs once, at startup, off any event
 * loop.
 */
final class NvidiaSmi {

	static final List<String> QUERY = List.of("--query-gpu=index", "--format=csv,noheader");

	private static final Logger log = LoggerFactory.getLogger(NvidiaSmi.class);

	private final String executable;

	private final Duration timeout;

	NvidiaSmi(String executable, Duration timeout) {
		this.executable = executable;
		this.timeout = timeout;
	}

	/**
	 * The GPU indexes, or empty when {@code nvidia-smi} is missing, fails, times out or
	 * lists no GPU.
	 */
	Optional<List<String>> gpuIndexes() {
		try {
			return run().filter((indexes) -> !indexes.isEmpty());
		}
		catch (IOException | IllegalArgumentException ex) {
			log.debug("No GPUs from {}: {}", this.executable, ex.getMessage());
			return Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

	private Optional<List<String>> run() throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(QUERY);
		command.add(0, this.executable);
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		try (InputStream stdout = process.getInputStream()) {
			process.getOutputStream().close();
			if (!process.waitFor(this.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				log.warn("{} did not answer within {}; using simulated GPU slots", this.executable, this.timeout);
				return Optional.empty();
			}
			String output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
			return (process.exitValue() == 0) ? Optional.of(NvidiaSmiOutput.parseIndexes(output)) : Optional.empty();
		}
		finally {
			process.destroyForcibly();
		}
	}

}
