package dev.llmserve.loadgen.load;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.llmserve.loadgen.client.ClientSpec;
import dev.llmserve.loadgen.client.Outcome;
import dev.llmserve.loadgen.client.TestSseServer;
import dev.llmserve.loadgen.metrics.Slo;
import dev.llmserve.loadgen.metrics.TimelineRow;
import dev.llmserve.loadgen.workload.ApiKind;
import dev.llmserve.loadgen.workload.TokenRange;
import dev.llmserve.loadgen.workload.WorkloadSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoadRunIntegrationTests {

	private static final WorkloadSpec WORKLOAD = new WorkloadSpec(ApiKind.CHAT, "m", new TokenRange(5, 10),
			new TokenRange(3, 3), false, 0, 0, 1);

	private static TestSseServer server;

	@BeforeAll
	static void start() {
		server = new TestSseServer();
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void aClosedLoopKeepsEveryUserBusyAndReportsEachSecond() throws InterruptedException {
		List<TimelineRow> progress = new ArrayList<>();
		RunReport report = new LoadRun(client("/ok"), WORKLOAD, new LoadShape.ClosedLoop(4, 1000),
				new RunLimits(Duration.ZERO, Duration.ofMillis(1500), Duration.ofSeconds(5), Long.MAX_VALUE),
				Slo.parse("ttft:1000"))
			.run(progress::add);

		assertThat(report.totals().count(Outcome.SUCCESS)).isGreaterThan(20);
		assertThat(report.totals().failures()).isZero();
		assertThat(report.totals().count(Outcome.CANCELLED)).isZero();
		assertThat(report.totals().goodRequests()).isEqualTo(report.totals().count(Outcome.SUCCESS));
		assertThat(report.peakInFlight()).isEqualTo(4);
		assertThat(progress).isNotEmpty().allSatisfy((row) -> assertThat(row.activeUsers()).isEqualTo(4));
		assertThat(report.timeline().size()).isGreaterThan(progress.size());
	}

	@Test
	void requestsStillRunningAfterTheDrainAreCancelledNotFailed() throws InterruptedException {
		RunReport report = new LoadRun(client("/slow"), WORKLOAD, new LoadShape.ClosedLoop(3, 1000),
				new RunLimits(Duration.ZERO, Duration.ofMillis(300), Duration.ZERO, Long.MAX_VALUE), Slo.NONE)
			.run((row) -> {
			});

		assertThat(report.totals().count(Outcome.CANCELLED)).isEqualTo(3);
		assertThat(report.totals().failures()).isZero();
		assertThat(report.durationSeconds()).isLessThan(3);
	}

	@Test
	void anOpenLoopStopsAfterItsRequestCountAndQueuesBeyondItsConcurrency() throws InterruptedException {
		RunReport report = new LoadRun(client("/ok"), WORKLOAD, new LoadShape.OpenLoop(200, 1.0, 2),
				new RunLimits(Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(5), 30), Slo.NONE)
			.run((row) -> {
			});

		assertThat(report.totals().count(Outcome.SUCCESS)).isEqualTo(30);
		assertThat(report.peakInFlight()).isLessThanOrEqualTo(2);
		assertThat(report.totals().queue().count()).isEqualTo(30);
		assertThat(report.durationSeconds()).isLessThan(5);
	}

	@Test
	void failuresAreCountedByKind() throws InterruptedException {
		RunReport report = new LoadRun(client("/busy"), WORKLOAD, new LoadShape.ClosedLoop(2, 1000),
				new RunLimits(Duration.ZERO, Duration.ofMillis(300), Duration.ofSeconds(1), Long.MAX_VALUE), Slo.NONE)
			.run((row) -> {
			});

		assertThat(report.totals().count(Outcome.HTTP_STATUS)).isPositive();
		assertThat(report.totals().byHttpStatus()).containsOnlyKeys("503");
		assertThat(report.totals().ttft()).isNull();
	}

	private static ClientSpec client(String prefix) {
		return new ClientSpec(List.of(URI.create(server.url(prefix))), Duration.ofSeconds(10), Duration.ofSeconds(5),
				Duration.ofSeconds(2), 16, 1, List.of());
	}

}
