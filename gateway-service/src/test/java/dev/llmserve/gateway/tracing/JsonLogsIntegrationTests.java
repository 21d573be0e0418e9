package dev.llmserve.gateway.tracing;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmserve.gateway.support.FakeReplica;
import dev.llmserve.gateway.support.GatewayIntegrationTest;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Profile {@code json-logs}: every console line is one JSON object, and a request's lines
 * carry its trace id.
 */
@ActiveProfiles("json-logs")
@ExtendWith(OutputCaptureExtension.class)
class JsonLogsIntegrationTests extends GatewayIntegrationTest {

	private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

	private final ObjectMapper json = new ObjectMapper();

	/**
	 * Logback is configured once per JVM: Boot skips a second initialization, so this
	 * context would keep the text format of the contexts before it. Let it configure
	 * JSON, then give the contexts after it their readable logs back.
	 */
	@BeforeAll
	static void letThisContextConfigureLogging() {
		logging().cleanUp();
	}

	@AfterAll
	static void restoreReadableLogs() {
		LoggingSystem logging = logging();
		logging.cleanUp();
		logging.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);
	}

	private static LoggingSystem logging() {
		return LoggingSystem.get(JsonLogsIntegrationTests.class.getClassLoader());
	}

	@Test
	void writesEachLogLineAsJsonWithTheRequestsTraceId(CapturedOutput output) throws Exception {
		SOLO.behave((request) -> FakeReplica.failing(Status.UNAVAILABLE.withDescription("gone")));
		client().post()
			.uri("/v1/chat/solo")
			.header("traceparent", "00-" + TRACE_ID + "-b7ad6b7169203331-01")
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("hello")
			.exchange()
			.expectStatus()
			.isEqualTo(503);

		List<String> lines = output.getOut().lines().filter((line) -> !line.isBlank()).toList();
		assertThat(lines).isNotEmpty().allSatisfy((line) -> assertThat(line).startsWith("{").endsWith("}"));
		JsonNode retry = null;
		for (String line : lines) {
			JsonNode entry = this.json.readTree(line);
			if (entry.path("message").asText().contains("failed before its first token")) {
				retry = entry;
			}
		}
		assertThat(retry).as("the request's log line").isNotNull();
		assertThat(retry.path("traceId").asText()).isEqualTo(TRACE_ID);
		assertThat(retry.path("spanId").asText()).hasSize(16);
		assertThat(retry.path("log").path("level").asText()).isEqualTo("INFO");
	}

}
