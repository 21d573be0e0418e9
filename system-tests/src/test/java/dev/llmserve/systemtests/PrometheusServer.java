package dev.llmserve.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmserve.process.FreePorts;
import dev.llmserve.process.ManagedProcess;
import dev.llmserve.process.ProcessSpec;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A real Prometheus (the {@code prometheus} binary, Debian's package) as a child process
 * on a free loopback port with its data in a temporary directory, and its HTTP query API.
 * Closing it stops its process tree.
 */
final class PrometheusServer implements AutoCloseable {

	private static final Duration STARTUP = Duration.ofSeconds(30);

	private final ManagedProcess process;

	private final int port;

	private PrometheusServer(ManagedProcess process, int port) {
		this.process = process;
		this.port = port;
	}

	/** The {@code prometheus} binary on the PATH (or Debian's /usr/bin), if any. */
	static Optional<Path> binary() {
		String path = System.getenv().getOrDefault("PATH", "");
		return Stream.concat(Stream.of(path.split(java.io.File.pathSeparator)), Stream.of("/usr/bin"))
			.filter((dir) -> !dir.isBlank())
			.map((dir) -> Path.of(dir, "prometheus"))
			.filter(Files::isExecutable)
			.findFirst();
	}

	/** Starts Prometheus with {@code config} (a parsed prometheus.yml) in {@code dir}. */
	static PrometheusServer start(Path binary, Map<String, Object> config, Path dir) throws Exception {
		Path configFile = dir.resolve("prometheus.yml");
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		Files.writeString(configFile, new Yaml(options).dump(config));
		int port = FreePorts.find();
		ManagedProcess process = ManagedProcess.start(ProcessSpec.of("prometheus",
				List.of(binary.toString(), "--config.file=" + configFile, "--storage.tsdb.path=" + dir.resolve("tsdb"),
						"--web.listen-address=127.0.0.1:" + port, "--log.level=warn")));
		PrometheusServer server = new PrometheusServer(process, port);
		try {
			server.awaitReady();
			return server;
		}
		catch (Exception | Error ex) {
			server.close();
			throw ex;
		}
	}

	private void awaitReady() throws InterruptedException {
		long deadline = System.nanoTime() + STARTUP.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("prometheus exited; last output:\n" + output());
			}
			if (Http.isOk(uri("/-/ready"))) {
				return;
			}
			Thread.sleep(100);
		}
		throw new IllegalStateException("prometheus not ready after " + STARTUP + "; last output:\n" + output());
	}

	/**
	 * Evaluates an instant query now; the series of the result ({@code data.result}).
	 * @throws IllegalStateException if Prometheus rejects the query
	 */
	List<JsonNode> query(String promql) throws IOException, InterruptedException {
		Http.Response response = Http.send("GET",
				uri("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)), null);
		JsonNode body = response.json();
		if (response.status() != 200 || !"success".equals(body.path("status").asText())) {
			throw new IllegalStateException("query failed (" + response.status() + "): " + promql + ": "
					+ body.path("error").asText(response.body()));
		}
		List<JsonNode> series = new ArrayList<>();
		body.path("data").path("result").forEach(series::add);
		return series;
	}

	/** Scrape targets by their health, from {@code /api/v1/targets}. */
	JsonNode targets() throws IOException, InterruptedException {
		return Http.send("GET", uri("/api/v1/targets?state=active"), null).json().path("data").path("activeTargets");
	}

	String output() {
		return String.join("\n", this.process.recentOutput());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	@Override
	public void close() {
		this.process.stop(Duration.ofSeconds(5));
	}

}
