package dev.llmserve.systemtests;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An engine killed with SIGKILL under a live stream: the stream ends with an error event
 * (never silence or a hang), the replica exits non-zero, and the gateway keeps answering
 * clearly.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EngineCrashIntegrationTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private LocalCluster cluster;

	@BeforeEach
	void startCluster() throws Exception {
		this.cluster = LocalCluster.start(1, List.of("--fixed-itl-ms", "20"));
	}

	@AfterEach
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
			assertThat(this.cluster.leftovers()).as("processes left running").isEmpty();
		}
	}

	@Test
	void killedEngineEndsTheStreamWithAnErrorEventAndTheReplicaExits() throws Exception {
		LocalCluster.Replica replica = this.cluster.replicas().get(0);
		String body = """
				{"model":"tinyllama","prompt":"A very long story","max_tokens":1500,"ignore_eos":true,"stream":true}""";
		try (RawHttp http = RawHttp.postJson(this.cluster.gatewayPort(), "/v1/completions", body)) {
			SseReader events = new SseReader(http);
			assertThat(events.next()).contains("text_completion");

			ProcessHandle.of(this.cluster.enginePid(replica)).orElseThrow().destroyForcibly();

			String last = null;
			for (String event = events.next(); event != null && !event.equals("[DONE]"); event = events.next()) {
				last = event;
			}
			assertThat(last).as("the event before [DONE]").isNotNull();
			JsonNode error = JSON.readTree(last).get("error");
			assertThat(error).as("an error event, not a silent end").isNotNull();
			assertThat(error.get("message").asText()).isNotBlank();
		}

		int exitCode = replica.service().process().onExit().get(30, TimeUnit.SECONDS);
		assertThat(exitCode).as("replica exit code").isNotZero();
	}

	@Test
	void gatewayAnswersClearlyWhenItsOnlyReplicaIsGone() throws Exception {
		LocalCluster.Replica replica = this.cluster.replicas().get(0);
		ProcessHandle.of(this.cluster.enginePid(replica)).orElseThrow().destroyForcibly();
		replica.service().process().onExit().get(30, TimeUnit.SECONDS);

		long started = System.nanoTime();
		String body = """
				{"model":"tinyllama","messages":[{"role":"user","content":"Hi"}],"stream":true}""";
		try (RawHttp http = RawHttp.postJson(this.cluster.gatewayPort(), "/v1/chat/completions", body)) {
			assertThat(http.status()).isEqualTo(503);
			assertThat(http.header("retry-after")).isNotBlank();
			JsonNode error = JSON.readTree(http.body()).get("error");
			assertThat(error.get("message").asText()).isNotBlank();
		}
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
	}

}
