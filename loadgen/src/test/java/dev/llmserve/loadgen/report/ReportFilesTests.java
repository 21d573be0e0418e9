package dev.llmserve.loadgen.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmserve.loadgen.cli.LoadgenOptions;
import dev.llmserve.loadgen.cli.OptionsParser;
import dev.llmserve.loadgen.client.Outcome;
import dev.llmserve.loadgen.client.RequestResult;
import dev.llmserve.loadgen.load.RunReport;
import dev.llmserve.loadgen.metrics.ResultAggregator;
import dev.llmserve.loadgen.metrics.Slo;
import dev.llmserve.loadgen.metrics.TimelineRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReportFilesTests {

	@TempDir
	Path dir;

	@Test
	void writesASummaryATimelineAndASelfContainedReport() throws Exception {
		LoadgenOptions options = OptionsParser.parse("--users", "2", "--label", "gateway <c=2>");
		ResultAggregator aggregator = new ResultAggregator(Slo.NONE);
		long ms = 1_000_000;
		aggregator.record(new RequestResult(Outcome.SUCCESS, 200, null, 0, new long[] { 40 * ms, 60 * ms }, 2, 10, 0));
		aggregator.record(new RequestResult(Outcome.TIMEOUT, 200, "idle", 0, new long[0], 0, 10, 0));
		List<TimelineRow> timeline = List.of(
				new TimelineRow(1, 2, 2, 2, 0, 0, 30, 40, 40, 40, Double.NaN, Double.NaN, Double.NaN),
				new TimelineRow(2, 2, 1, 0, 1, 1, 10, Double.NaN, Double.NaN, Double.NaN, 60, 60, 60));
		RunReport report = new RunReport(Instant.EPOCH, 2.0, 0, aggregator.totals(), timeline, 2, 0.5);

		Map<String, Object> summary = SummaryDocument.of(options, report);
		ReportFiles.write(this.dir, summary, timeline);

		JsonNode json = new ObjectMapper().readTree(this.dir.resolve("summary.json").toFile());
		assertThat(json.at("/requests/by_outcome/success").asLong()).isEqualTo(1);
		assertThat(json.at("/requests/by_outcome/timeout").asLong()).isEqualTo(1);
		// HdrHistogram keeps 3 significant digits: percentiles are exact to 0.1%
		assertThat(json.at("/latency_ms/ttft/p50").asDouble()).isCloseTo(40.0, within(0.04));
		assertThat(json.at("/latency_ms/e2el/p99").asDouble()).isCloseTo(60.0, within(0.06));
		assertThat(json.at("/throughput/requests_per_s").asDouble()).isEqualTo(0.5);
		assertThat(json.at("/throughput/output_tokens_per_s").asDouble()).isEqualTo(1.0);
		assertThat(json.at("/latency_ms/tpot/p50").asDouble()).isCloseTo(20.0, within(0.02));
		assertThat(Files.readAllLines(this.dir.resolve("timeline.csv"))).hasSize(3)
			.element(1)
			.isEqualTo("1,2,2,2,0,0,30,40.000,40.000,40.000,,,");
		String html = Files.readString(this.dir.resolve("report.html"));
		assertThat(html).contains("<svg", "Time to first token", "Errors per second", "gateway &lt;c=2&gt;")
			.doesNotContain("<script src", "<link", "https://");
	}

}
