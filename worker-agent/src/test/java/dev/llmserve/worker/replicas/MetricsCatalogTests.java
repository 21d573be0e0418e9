package dev.llmserve.worker.replicas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.llmserve.worker.support.MutableClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/metrics.md names every metric the worker exposes, as Prometheus spells it. */
class MetricsCatalogTests {

	@Test
	void exposesNoMetricTheCatalogDoesNotDescribe() throws IOException {
		PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		new ReplicaMetrics(new TestReplicas(MutableClock.startingNow()).registry()).bindTo(meters);
		String catalog = Files.readString(Path.of("..", "docs", "metrics.md"));

		assertThat(meters.scrape().lines().filter((line) -> line.startsWith("# TYPE llmserve_"))).hasSize(4)
			.allSatisfy((line) -> assertThat(catalog).contains("`" + line.split(" ")[2] + "`"));
	}

}
