package dev.llmserve.gateway;

import dev.llmserve.gateway.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

class ActuatorIntegrationTests extends GatewayIntegrationTest {

	@Test
	void isLiveAndReadyWithReplicasInItsTable() {
		client().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		client().get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
	}

	@Test
	void exposesRequestMetricsToPrometheus() {
		client().post()
			.uri("/v1/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"model\":\"solo\",\"prompt\":\"x\"}")
			.exchange()
			.expectStatus()
			.isOk();
		String scrape = client().get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(scrape).contains("llmserve_gateway_requests_total{")
			.contains("outcome=\"ok\"")
			.contains("llmserve_gateway_time_to_first_token_seconds_bucket{")
			.contains("llmserve_gateway_streams_active{");
	}

}
