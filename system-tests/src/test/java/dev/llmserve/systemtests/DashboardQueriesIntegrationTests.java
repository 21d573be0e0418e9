package dev.llmserve.systemtests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every query of every Grafana dashboard in {@code infra/} shows data: the local cluster
 * (controller, gateway, two workers, two simulator replicas) runs under load while a real
 * Prometheus scrapes it, configured from {@code infra/prometheus/prometheus.yml} (the
 * controller's port and data directory put in, scrape interval 1s) and finding the
 * gateway, workers and replicas through the controller's file_sd target list. Each query
 * goes through Prometheus' HTTP API; one that returns no series, or only NaN, is a panel
 * that shows nothing.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DashboardQueriesIntegrationTests {

	private static final String DEPLOYMENT = "dash";

	/**
	 * Longer than the load ran before the queries, as Grafana's rate interval would be.
	 */
	private static final String RATE_INTERVAL = "1m";

	private static final Duration LOAD = Duration.ofSeconds(20);

	@TempDir
	static Path dataDir;

	@TempDir
	static Path prometheusDir;

	@RegisterExtension
	static final KeepLogsOnFailure keepLogs = new KeepLogsOnFailure(() -> dataDir);

	private static ControlPlane cluster;

	private static PrometheusServer prometheus;

	@BeforeAll
	static void start() throws Exception {
		Optional<Path> binary = PrometheusServer.binary();
		Assumptions.assumeTrue(binary.isPresent(),
				"prometheus is not installed (apt-get install prometheus; .ci/run installs it): skipping the dashboard queries");
		// No class-data archive for the gateway: training it costs a start of its own.
		cluster = ControlPlane.start(dataDir, "--llmserve.controller.discovery.refresh-interval=500ms",
				"--llmserve.controller.local.gateway.fast-start=false");
		cluster.deployAndAwaitReady(DEPLOYMENT, 2);
		prometheus = PrometheusServer.start(binary.get(), prometheusConfig(), prometheusDir);
	}

	@AfterAll
	static void stop() {
		if (prometheus != null) {
			prometheus.close();
		}
		if (cluster != null) {
			cluster.close();
			assertThat(cluster.leftovers()).as("processes left running").isEmpty();
		}
	}

	@Test
	void everyDashboardQueryReturnsDataUnderLoad() throws Exception {
		// controller, gateway, 2 workers, 2 replicas: all found and scraped.
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(upTargets()).containsExactlyInAnyOrder("controller", "gateway", "worker",
					"worker", "replica", "replica"));
		List<DashboardQueries.Query> queries = DashboardQueries.all(RATE_INTERVAL);
		assertThat(queries).hasSizeGreaterThan(20);

		List<String> empty = new ArrayList<>();
		try (BackgroundLoad load = BackgroundLoad.start(cluster.gatewayPort(), DEPLOYMENT, 4, 40)) {
			Thread.sleep(LOAD.toMillis());
			for (DashboardQueries.Query query : queries) {
				String problem = problem(prometheus.query(query.promql()));
				if (problem != null) {
					empty.add(query + "  -> " + problem);
				}
			}
			load.close();
			assertThat(load.failures()).as("failed streams").isEmpty();
			assertThat(load.succeeded()).isGreaterThan(20);
		}
		if (!empty.isEmpty()) {
			System.err.printf("%d of %d dashboard queries returned no data:%n  %s%n", empty.size(), queries.size(),
					String.join("\n  ", empty));
		}
		assertThat(empty).as("dashboard queries that returned no data (a panel that shows nothing)").isEmpty();
	}

	/** Why a query's result shows nothing, or null when it shows data. */
	private static String problem(List<JsonNode> series) {
		if (series.isEmpty()) {
			return "no series";
		}
		for (JsonNode one : series) {
			String value = one.path("value").path(1).asText();
			if (!value.equals("NaN") && !value.isEmpty()) {
				return null;
			}
		}
		return "only NaN (" + series.size() + " series)";
	}

	/** The service label of every target that is up. */
	private static List<String> upTargets() throws Exception {
		List<String> up = new ArrayList<>();
		for (JsonNode target : prometheus.targets()) {
			if (target.path("health").asText().equals("up")) {
				up.add(target.path("labels").path("service").asText());
			}
		}
		return up;
	}

	/**
	 * infra/prometheus/prometheus.yml with this cluster's controller port and targets
	 * file, and a 1s scrape interval.
	 */
	@SuppressWarnings("unchecked")
	private static Map<String, Object> prometheusConfig() throws Exception {
		Path file = ServiceProcess.root().resolve("infra/prometheus/prometheus.yml");
		Map<String, Object> config = new Yaml().load(Files.readString(file));
		Map<String, Object> global = (Map<String, Object>) config.get("global");
		global.put("scrape_interval", "1s");
		global.put("scrape_timeout", "1s");
		global.put("evaluation_interval", "1s");
		List<Map<String, Object>> jobs = (List<Map<String, Object>>) config.get("scrape_configs");
		Map<String, Object> controller = job(jobs, "controller");
		Map<String, Object> controllerTargets = ((List<Map<String, Object>>) controller.get("static_configs")).get(0);
		controllerTargets.put("targets", List.of(cluster.adminUri("").getAuthority()));
		Map<String, Object> discovered = job(jobs, "llmserve");
		Map<String, Object> fileSd = ((List<Map<String, Object>>) discovered.get("file_sd_configs")).get(0);
		fileSd.put("files", List.of(dataDir.resolve("prometheus/targets.json").toString()));
		fileSd.put("refresh_interval", "1s");
		return config;
	}

	private static Map<String, Object> job(List<Map<String, Object>> jobs, String name) {
		return jobs.stream()
			.filter((job) -> name.equals(job.get("job_name")))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("infra/prometheus/prometheus.yml has no job " + name));
	}

}
