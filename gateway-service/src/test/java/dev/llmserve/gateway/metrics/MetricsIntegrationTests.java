package dev.llmserve.gateway.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.llmserve.gateway.support.FakeReplica;
import dev.llmserve.gateway.support.GatewayIntegrationTest;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator reads on {@code /actuator/prometheus} after requests went through the
 * three endpoints: every request counted once with its outcome, its tokens, and its
 * latencies in the histograms' buckets.
 */
class MetricsIntegrationTests extends GatewayIntegrationTest {

	private static final String SOLO_TAG = "deployment=\"solo\"";

	@Test
	void streamedTokensLandInTheLatencyHistogramsAndTheTokenCounters() {
		Scrape before = scrape();
		// 20 ms between tokens: never within the 10 ms ITL bucket, however slow the
		// machine.
		SOLO.behave((request) -> FakeReplica.tokens("a", "b", "c", "d").delayElements(Duration.ofMillis(20)));
		String body = post("/v1/chat/completions",
				"{\"model\":\"solo\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
		assertThat(body).contains("[DONE]");
		Scrape after = scrape();

		assertThat(after.delta(before, "llmserve_gateway_time_to_first_token_seconds_count", SOLO_TAG)).isEqualTo(1);
		assertThat(after.delta(before, "llmserve_gateway_inter_token_latency_seconds_count", SOLO_TAG)).isEqualTo(3);
		assertThat(after.delta(before, "llmserve_gateway_inter_token_latency_seconds_bucket", SOLO_TAG, "le=\"0.01\""))
			.isZero();
		assertThat(after.delta(before, "llmserve_gateway_inter_token_latency_seconds_bucket", SOLO_TAG, "le=\"+Inf\""))
			.isEqualTo(3);
		assertThat(after.delta(before, "llmserve_gateway_request_duration_seconds_count", SOLO_TAG)).isEqualTo(1);
		assertThat(after.delta(before, "llmserve_gateway_tokens_total", SOLO_TAG, "kind=\"completion\"")).isEqualTo(4);
		assertThat(after.delta(before, "llmserve_gateway_tokens_total", SOLO_TAG, "kind=\"prompt\"")).isEqualTo(5);
		assertThat(after.delta(before, "llmserve_gateway_requests_total", SOLO_TAG, "outcome=\"ok\"")).isEqualTo(1);
		assertThat(after.delta(before, "llmserve_gateway_routed_total", SOLO_TAG)).isEqualTo(1);
		assertThat(after.text()).contains("llmserve_gateway_time_to_first_token_seconds_bucket{")
			.contains("le=\"0.25\"")
			.contains("llmserve_gateway_streams_active{")
			.as("at 0, so that rates show 0 rather than no data")
			.containsPattern("llmserve_gateway_retries_total\\{[^}]*deployment=\"solo\"")
			.containsPattern("llmserve_gateway_failovers_total\\{[^}]*deployment=\"solo\"");
	}

	@Test
	void countsEveryEndpointsRequestsByOutcome() {
		Scrape before = scrape();
		post("/v1/completions", "{\"model\":\"solo\",\"prompt\":\"x\"}");
		post("/v1/chat/solo", "hello", MediaType.TEXT_PLAIN);
		SOLO.behave((request) -> FakeReplica.failing(Status.INVALID_ARGUMENT.withDescription("too long")));
		post("/v1/completions", "{\"model\":\"solo\",\"prompt\":\"x\"}");
		SOLO.behave((request) -> FakeReplica.failing(Status.INTERNAL.withDescription("engine died")));
		post("/v1/chat/solo", "hello", MediaType.TEXT_PLAIN);
		SOLO.behave((request) -> FakeReplica.failing(Status.RESOURCE_EXHAUSTED.withDescription("queue full")));
		post("/v1/chat/completions",
				"{\"model\":\"solo\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
		post("/v1/completions", "{\"model\":\"no-such-model\",\"prompt\":\"x\"}");
		post("/v1/completions", "{not json");
		Scrape after = scrape();

		assertThat(after.delta(before, "llmserve_gateway_requests_total", SOLO_TAG, "outcome=\"ok\"")).isEqualTo(2);
		assertThat(after.delta(before, "llmserve_gateway_requests_total", SOLO_TAG, "outcome=\"client_error\""))
			.isEqualTo(1);
		assertThat(after.delta(before, "llmserve_gateway_requests_total", SOLO_TAG, "outcome=\"failed\"")).isEqualTo(1);
		assertThat(after.delta(before, "llmserve_gateway_requests_total", SOLO_TAG, "outcome=\"rejected\""))
			.isEqualTo(1);
		assertThat(after.delta(before, "llmserve_gateway_requests_total", "deployment=\"unknown\"",
				"outcome=\"client_error\""))
			.as("an unknown model and a body that is no JSON, under one tag")
			.isEqualTo(2);
		assertThat(after.text()).doesNotContain("no-such-model");
	}

	@Test
	void countsAClientThatLeavesMidStreamAsCancelled() {
		Scrape before = scrape();
		SOLO.behave((request) -> Flux.concat(Flux.just(FakeReplica.token("a")), Flux.never()));
		WebClient.create("http://127.0.0.1:" + this.port)
			.post()
			.uri("/v1/chat/solo")
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("hello")
			.retrieve()
			.bodyToFlux(DataBuffer.class)
			.doOnNext(DataBufferUtils::release)
			.take(1)
			.blockLast(TIMEOUT);
		awaitDelta(before, "llmserve_gateway_requests_total", SOLO_TAG, "outcome=\"cancelled\"");
		assertThat(scrape().delta(before, "llmserve_gateway_streams_active", SOLO_TAG)).isZero();
	}

	@Test
	void exposesNoMetricTheCatalogDoesNotDescribe() throws IOException {
		post("/v1/completions", "{\"model\":\"solo\",\"prompt\":\"x\"}");
		assertThat(undocumented(scrape().text())).as("missing from docs/metrics.md").isEmpty();
	}

	/**
	 * The {@code llmserve_*} metric families of a scrape missing from docs/metrics.md.
	 */
	static List<String> undocumented(String scrape) throws IOException {
		String catalog = Files.readString(Path.of("..", "docs", "metrics.md"));
		return scrape.lines()
			.filter((line) -> line.startsWith("# TYPE llmserve_"))
			.map((line) -> line.split(" ")[2].replaceFirst("_max$", ""))
			.distinct()
			.filter((name) -> !catalog.contains("`" + name + "`"))
			.toList();
	}

	private void awaitDelta(Scrape before, String name, String... labels) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (scrape().delta(before, name, labels) < 1) {
			assertThat(System.nanoTime()).as("%s never moved", name).isLessThan(deadline);
			Thread.onSpinWait();
		}
	}

	private String post(String uri, String body) {
		return post(uri, body, MediaType.APPLICATION_JSON);
	}

	private String post(String uri, String body, MediaType type) {
		return client().post()
			.uri(uri)
			.contentType(type)
			.bodyValue(body)
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private Scrape scrape() {
		return new Scrape(client().get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());
	}

	/**
	 * One Prometheus scrape: sums of the series of a name whose labels contain all given.
	 */
	record Scrape(String text) {

		double sum(String name, String... labels) {
			return this.text.lines()
				.filter((line) -> line.startsWith(name + "{"))
				.filter((line) -> Arrays.stream(labels).allMatch(line::contains))
				.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
				.sum();
		}

		double delta(Scrape before, String name, String... labels) {
			return sum(name, labels) - before.sum(name, labels);
		}

	}

}
