package dev.llmserve.gateway.tracing;

import dev.llmserve.gateway.support.FakeReplica;
import dev.llmserve.gateway.support.GatewayIntegrationTest;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trace of a request reaches its replicas as W3C {@code traceparent} gRPC metadata,
 * and the request's log lines carry its trace id.
 */
@ExtendWith(OutputCaptureExtension.class)
class TracingIntegrationTests extends GatewayIntegrationTest {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String INCOMING = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

	@Test
	void sendsTheRequestsTraceToTheReplicaWithTheGatewaysSpanAsParent() {
		streamChat("solo").expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("[DONE]"));

		assertThat(SOLO.traceparents()).singleElement().satisfies((traceparent) -> {
			assertThat(traceparent).startsWith("00-" + TRACE_ID + "-");
			assertThat(traceparent).as("the gateway's own span, not the caller's").doesNotContain("00f067aa0ba902b7");
		});
	}

	@Test
	void sendsAFreshTraceWhenTheClientSentNone() {
		client().post()
			.uri("/v1/chat/solo")
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("hello")
			.exchange()
			.expectStatus()
			.isOk();

		assertThat(SOLO.traceparents()).singleElement().asString().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
	}

	@Test
	void logsARetryWithTheRequestsTraceId(CapturedOutput output) {
		A.behave((request) -> FakeReplica.failing(Status.UNAVAILABLE.withDescription("gone")));
		B.behave((request) -> FakeReplica.failing(Status.UNAVAILABLE.withDescription("gone")));
		streamChat("tinyllama").expectStatus().isEqualTo(503);

		assertThat(output.getAll().lines().filter((line) -> line.contains("failed before its first token")))
			.isNotEmpty()
			.allSatisfy((line) -> assertThat(line).contains(TRACE_ID));
		assertThat(A.traceparents()).hasSize(1).allSatisfy((traceparent) -> assertThat(traceparent).contains(TRACE_ID));
		assertThat(B.traceparents()).hasSize(1).allSatisfy((traceparent) -> assertThat(traceparent).contains(TRACE_ID));
	}

	private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec streamChat(String model) {
		return client().post()
			.uri("/v1/chat/completions")
			.header("traceparent", INCOMING)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"" + model
					+ "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
			.exchange();
	}

}
