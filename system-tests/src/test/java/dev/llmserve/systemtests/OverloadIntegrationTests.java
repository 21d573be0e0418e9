package dev.llmserve.systemtests;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ten times more concurrent clients than the gateway admits, against real replicas on the
 * simulator: the excess gets fast 503s with {@code Retry-After}, every admitted request
 * completes well-formed, the engines never see more than the limit, the gateway's heap
 * stays bounded and no permit is left behind.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OverloadIntegrationTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final int REPLICAS = 2;

	private static final int PER_REPLICA = 4;

	private static final int CAPACITY = REPLICAS * PER_REPLICA;

	private static final int CLIENTS = 10 * CAPACITY;

	private static final Duration LOAD = Duration.ofSeconds(8);

	private static final Duration MAX_WAIT = Duration.ofSeconds(10);

	private static final String BODY = """
			{"model":"tinyllama","prompt":"Overload %d","max_tokens":30,"ignore_eos":true,"stream":true}""";

	private static LocalCluster cluster;

	@BeforeAll
	static void startCluster() throws Exception {
		// 10 ms per token: an admitted request holds its slot for about 300 ms.
		cluster = LocalCluster.start(REPLICAS, List.of("--fixed-itl-ms", "10"),
				List.of("--llmserve.gateway.admission.max-concurrent-per-replica=" + PER_REPLICA,
						"--llmserve.gateway.admission.queue-factor=1",
						"--llmserve.gateway.admission.max-wait=" + MAX_WAIT.toSeconds() + "s",
						"--management.metrics.distribution.percentiles-histogram.http.server.requests=true"));
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
			assertThat(cluster.leftovers()).as("processes left running").isEmpty();
		}
	}

	@Test
	void tenTimesOverloadGetsFast503sWhileEveryAdmittedRequestCompletes() throws Exception {
		double heapBefore = heapUsed();
		Outcomes outcomes = new Outcomes();
		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
		List<Future<?>> clients = new ArrayList<>();
		AtomicLong peakHeap = new AtomicLong();
		AtomicInteger peakEngineLoad = new AtomicInteger();
		try {
			Future<?> sampler = pool.submit(() -> sample(running, peakHeap, peakEngineLoad));
			for (int i = 0; i < CLIENTS; i++) {
				int client = i;
				clients.add(pool.submit(() -> offer(client, running, outcomes)));
			}
			Thread.sleep(LOAD.toMillis());
			running.set(false);
			for (Future<?> client : clients) {
				client.get(60, TimeUnit.SECONDS);
			}
			sampler.get(10, TimeUnit.SECONDS);
		}
		finally {
			running.set(false);
			pool.shutdownNow();
		}
		double heapAfter = heapUsed();
		String scrape = scrape();
		double heapMax = sum(scrape, "jvm_memory_max_bytes{", "area=\"heap\"");

		List<Long> rejectedMillis = outcomes.sortedRejectionMillis();
		System.out.printf(
				"Overload: %d clients for %ds against capacity %d (queue %d): %d requests, %d admitted and completed, "
						+ "%d rejected with 503 (p50 %d ms, p99 %d ms, max %d ms), %d failures%n",
				CLIENTS, LOAD.toSeconds(), CAPACITY, CAPACITY, outcomes.offered(), outcomes.completed.get(),
				rejectedMillis.size(), percentile(rejectedMillis, 50), percentile(rejectedMillis, 99),
				rejectedMillis.isEmpty() ? 0 : rejectedMillis.get(rejectedMillis.size() - 1), outcomes.failures.size());
		System.out.printf(
				"Overload: the gateway's own time to answer a 503 (http_server_requests): p50 %.1f ms, p99 %.1f ms, "
						+ "max %.1f ms%n",
				serverMillis(scrape, 0.5), serverMillis(scrape, 0.99),
				1000 * max(scrape, "http_server_requests_seconds_max{", "status=\"503\""));
		System.out.printf(
				"Overload: peak engine load (running + waiting, both replicas) %d of %d; "
						+ "gateway heap before %.1f MB, peak %.1f MB, after %.1f MB, max %.1f MB%n",
				peakEngineLoad.get(), CAPACITY, mb(heapBefore), mb(peakHeap.get()), mb(heapAfter), mb(heapMax));

		assertThat(outcomes.failures).as("requests that were neither a well-formed stream nor a proper 503").isEmpty();
		assertThat(outcomes.completed.get()).isGreaterThanOrEqualTo(CAPACITY);
		assertThat(rejectedMillis).as("503s").hasSizeGreaterThan(outcomes.completed.get());
		assertThat(outcomes.waitTimeouts.get()).as("rejections after waiting in the queue").isZero();
		// Every 503 is a queue_full decision, taken on arrival (asserted below with the
		// gateway's counters); how long it took under this machine's load is printed, not
		// asserted.
		assertThat(peakEngineLoad.get()).as("sequences in the engines at once").isLessThanOrEqualTo(CAPACITY);
		assertThat(peakHeap.get()).as("gateway heap at its peak").isLessThan((long) (0.9 * heapMax));
		assertThat(heapAfter - heapBefore).as("gateway heap growth").isLessThan(128.0 * 1024 * 1024);
		assertThat(gauge(scrape, "llmserve_gateway_admission_permits_in_use{")).as("permits left taken").isZero();
		assertThat(gauge(scrape, "llmserve_gateway_admission_queue_depth{")).as("requests left queued").isZero();
		assertThat(sum(scrape, "llmserve_gateway_admission_admitted_total{", "deployment=\"tinyllama\""))
			.isEqualTo(outcomes.completed.get());
		assertThat(sum(scrape, "llmserve_gateway_admission_rejected_total{", "reason=\"queue_full\""))
			.isEqualTo(rejectedMillis.size());
		assertThat(Streams.failureOf(cluster.gatewayPort(), "/v1/completions", BODY.formatted(-1)))
			.as("a request after the overload")
			.isNull();
	}

	/**
	 * One client: requests back to back; after a 503 it pauses a little (not
	 * Retry-After).
	 */
	private static void offer(int client, AtomicBoolean running, Outcomes outcomes) {
		for (int i = 0; running.get(); i++) {
			long started = System.nanoTime();
			try (RawHttp http = RawHttp.postJson(cluster.gatewayPort(), "/v1/completions",
					BODY.formatted(client * 100_000 + i))) {
				if (http.status() == 503) {
					outcomes.rejected.add((System.nanoTime() - started) / 1_000_000);
					checkRejection(http, outcomes);
					Thread.sleep(200);
				}
				else if (http.status() == 200) {
					String failure = wellFormed(new SseReader(http).rest());
					if (failure == null) {
						outcomes.completed.incrementAndGet();
					}
					else {
						outcomes.failures.add(failure);
					}
				}
				else {
					outcomes.failures.add("HTTP " + http.status() + ": " + http.body());
				}
			}
			catch (IOException ex) {
				outcomes.failures.add("I/O: " + ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private static void checkRejection(RawHttp http, Outcomes outcomes) throws IOException {
		String retryAfter = http.header("retry-after");
		JsonNode error = JSON.readTree(http.body()).path("error");
		if (retryAfter == null || !retryAfter.matches("[1-9][0-9]*")
				|| !"ServiceUnavailableError".equals(error.path("type").asText()) || error.path("code").asInt() != 503
				|| !error.has("param")) {
			outcomes.failures.add("503 without Retry-After or OpenAI's error shape: " + retryAfter + " " + error);
		}
		if (error.path("message").asText().contains("no slot came free")) {
			outcomes.waitTimeouts.incrementAndGet();
		}
	}

	private static String wellFormed(List<String> events) {
		if (events.isEmpty() || !events.get(events.size() - 1).equals("[DONE]")) {
			return "no [DONE] (" + events.size() + " events)";
		}
		if (events.stream().anyMatch((event) -> event.startsWith("{\"error\""))) {
			return "error event in " + events;
		}
		if (events.size() != 31 || !events.get(29).contains("\"finish_reason\":\"length\"")) {
			return "not 30 tokens ending with finish_reason length: " + events;
		}
		return null;
	}

	private static void sample(AtomicBoolean running, AtomicLong peakHeap, AtomicInteger peakEngineLoad) {
		while (running.get()) {
			try {
				peakHeap.accumulateAndGet((long) heapUsed(), Math::max);
				int load = 0;
				for (LocalCluster.Replica replica : cluster.replicas()) {
					JsonNode stats = cluster.engineStats(replica);
					load += stats.path("running").asInt() + stats.path("waiting").asInt();
				}
				peakEngineLoad.accumulateAndGet(load, Math::max);
				Thread.sleep(100);
			}
			catch (IOException ex) {
				// A sample lost under load; the next one counts.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private static double heapUsed() throws IOException, InterruptedException {
		return sum(scrape(), "jvm_memory_used_bytes{", "area=\"heap\"");
	}

	private static String scrape() throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(cluster.gatewayUri("/actuator/prometheus"))
			.timeout(Duration.ofSeconds(10))
			.GET()
			.build();
		return ServiceProcess.HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

	/**
	 * The sum of the samples whose line starts with {@code prefix} and contains
	 * {@code label}.
	 */
	private static double sum(String scrape, String prefix, String label) {
		return scrape.lines()
			.filter((line) -> line.startsWith(prefix) && line.contains(label))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

	/**
	 * A quantile of the gateway's handling time of its 503s, from the upper bounds of its
	 * histogram buckets.
	 */
	private static double serverMillis(String scrape, double quantile) {
		TreeMap<Double, Double> buckets = new TreeMap<>();
		scrape.lines()
			.filter((line) -> line.startsWith("http_server_requests_seconds_bucket{")
					&& line.contains("status=\"503\""))
			.forEach((line) -> {
				int le = line.indexOf("le=\"") + 4;
				String bound = line.substring(le, line.indexOf('"', le));
				double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
				double count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
				buckets.merge(upper, count, Double::sum);
			});
		double total = buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
		for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
			if (bucket.getValue() >= quantile * total) {
				return 1000 * bucket.getKey();
			}
		}
		return Double.NaN;
	}

	private static double max(String scrape, String prefix, String label) {
		return scrape.lines()
			.filter((line) -> line.startsWith(prefix) && line.contains(label))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.max()
			.orElse(Double.NaN);
	}

	private static double gauge(String scrape, String prefix) {
		return sum(scrape, prefix, "deployment=\"tinyllama\"");
	}

	private static long percentile(List<Long> sorted, int percent) {
		if (sorted.isEmpty()) {
			return 0;
		}
		int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, index));
	}

	private static double mb(double bytes) {
		return bytes / (1024 * 1024);
	}

	/** What the clients saw. */
	private static final class Outcomes {

		final AtomicInteger completed = new AtomicInteger();

		final ConcurrentLinkedQueue<Long> rejected = new ConcurrentLinkedQueue<>();

		final AtomicInteger waitTimeouts = new AtomicInteger();

		final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

		int offered() {
			return this.completed.get() + this.rejected.size() + this.failures.size();
		}

		List<Long> sortedRejectionMillis() {
			List<Long> sorted = new ArrayList<>(this.rejected);
			Collections.sort(sorted);
			return sorted;
		}

	}

}
