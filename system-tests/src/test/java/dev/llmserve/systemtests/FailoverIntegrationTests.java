package dev.llmserve.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failover and outlier ejection with real processes: a replica killed with SIGKILL under
 * a hundred live streams, and a replica whose engine hangs (alive for health checks, dead
 * for requests). Prints the counts it measures.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class FailoverIntegrationTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final int STREAMS = 120;

	private static final int MAX_TOKENS = 400;

	/** Streams that must be under way at once when the replica is killed. */
	private static final int CONCURRENT = 100;

	private LocalCluster cluster;

	@AfterEach
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
			assertThat(this.cluster.leftovers()).as("processes left running").isEmpty();
		}
	}

	@Test
	void everyStreamCompletesWhenAReplicaIsKilledMidStream() throws Exception {
		// 15 ms per token: a 400-token stream lasts 6 s, long enough to be cut.
		this.cluster = start(3, List.of("--fixed-itl-ms", "15"), List.of());
		LocalCluster.Replica victim = this.cluster.replicas().get(0);
		AtomicInteger streaming = new AtomicInteger();
		AtomicInteger peak = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(STREAMS);
		List<Future<StreamResult>> futures = new ArrayList<>();
		try {
			for (int i = 0; i < STREAMS; i++) {
				boolean chat = i % 2 == 0;
				String body = chat
						? """
								{"model":"tinyllama","messages":[{"role":"user","content":"Tell me a long story"}],
								 "max_tokens":%d,"ignore_eos":true,"seed":%d,"stream":true,"stream_options":{"include_usage":true}}"""
							.formatted(MAX_TOKENS, i)
						: """
								{"model":"tinyllama","prompt":"Tell me a long story","max_tokens":%d,"ignore_eos":true,
								 "seed":%d,"stream":true,"stream_options":{"include_usage":true}}"""
							.formatted(MAX_TOKENS, i);
				String path = chat ? "/v1/chat/completions" : "/v1/completions";
				futures.add(pool.submit(() -> stream(path, body, chat, streaming, peak)));
			}
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> streaming.get() >= CONCURRENT);
			int underWay = streaming.get();
			long killed = killTree(victim);

			List<StreamResult> results = new ArrayList<>();
			for (Future<StreamResult> future : futures) {
				results.add(future.get(120, TimeUnit.SECONDS));
			}
			Map<String, Long> metrics = gatewayCounters();
			List<String> failures = results.stream()
				.filter((r) -> r.failure() != null)
				.map(StreamResult::failure)
				.toList();
			Map<Integer, Integer> chatPrompts = new TreeMap<>();
			Map<Integer, Integer> textPrompts = new TreeMap<>();
			results.stream()
				.filter((r) -> r.failure() == null)
				.forEach((r) -> (r.chat() ? chatPrompts : textPrompts).merge(r.promptTokens(), 1, Integer::sum));
			System.out.printf(
					"kill -9 of %s (%d processes) with %d of %d streams under way (peak %d): %d complete, %d failed; "
							+ "mid-stream failovers %d, retries before the first token %d, ejections %d; "
							+ "prompt_tokens chat %s, completions %s%n",
					victim.id(), killed, underWay, STREAMS, peak.get(), results.size() - failures.size(),
					failures.size(), metrics.getOrDefault("mid_stream", 0L),
					metrics.getOrDefault("before_first_token", 0L), metrics.getOrDefault("ejections", 0L), chatPrompts,
					textPrompts);

			assertThat(failures).as("client-visible failures").isEmpty();
			assertThat(metrics.getOrDefault("mid_stream", 0L)).as("streams continued elsewhere").isPositive();
			assertThat(textPrompts).as("the original prompt's tokens, failover or not").hasSize(1);
			assertThat(chatPrompts).as("the original prompt's tokens, failover or not").hasSize(1);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aHungReplicaIsEjectedAndRequestsKeepSucceeding() throws Exception {
		this.cluster = start(2, List.of("--fixed-itl-ms", "5"),
				List.of("--llmserve.gateway.upstream.first-chunk-timeout=2s",
						"--llmserve.gateway.upstream.stall-timeout=2s",
						"--llmserve.gateway.routing.ejection.base-cooldown=3s"));
		LocalCluster.Replica hung = this.cluster.replicas().get(0);
		ExecutorService pool = Executors.newFixedThreadPool(12);
		long ejectedAfterMillis = -1;
		int requests = 0;
		List<String> failures = new ArrayList<>();
		List<String> streamFailures = new ArrayList<>();
		List<Future<StreamResult>> inFlight = new ArrayList<>();
		try {
			// Eight long streams under way when the engine hangs: those on the hung
			// replica stall, and must be continued on the other one.
			AtomicInteger streaming = new AtomicInteger();
			for (int i = 0; i < 8; i++) {
				String body = """
						{"model":"tinyllama","prompt":"Tell me a long story","max_tokens":%d,"ignore_eos":true,
						 "seed":%d,"stream":true,"stream_options":{"include_usage":true}}""".formatted(MAX_TOKENS, i);
				inFlight.add(pool.submit(() -> stream("/v1/completions", body, false, streaming, new AtomicInteger())));
			}
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> streaming.get() >= 8);
			injectFaults(hung, "{\"hang\":true}");
			long hungAt = System.nanoTime();
			// Twelve seconds of load, four at a time: the hung replica is ejected, gets
			// trial requests after its cool-down, fails them and is ejected again.
			while (System.nanoTime() - hungAt < TimeUnit.SECONDS.toNanos(12)) {
				List<Future<String>> batch = new ArrayList<>();
				for (int i = 0; i < 4; i++) {
					String body = """
							{"model":"tinyllama","prompt":"Hello %d","max_tokens":20,"ignore_eos":true,"stream":true}"""
						.formatted(requests + i);
					batch
						.add(pool.submit(() -> Streams.failureOf(this.cluster.gatewayPort(), "/v1/completions", body)));
				}
				for (Future<String> result : batch) {
					String failure = result.get(30, TimeUnit.SECONDS);
					if (failure != null) {
						failures.add(failure);
					}
				}
				requests += batch.size();
				if (ejectedAfterMillis < 0 && gatewayCounters().getOrDefault("ejected", 0L) > 0) {
					ejectedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - hungAt);
				}
			}
			for (Future<StreamResult> stream : inFlight) {
				String failure = stream.get(60, TimeUnit.SECONDS).failure();
				if (failure != null) {
					streamFailures.add(failure);
				}
			}
		}
		finally {
			pool.shutdownNow();
		}
		Map<String, Long> metrics = gatewayCounters();
		System.out.printf(
				"hung replica %s: ejected %d ms after the fault (first-chunk-timeout and stall-timeout 2s); %d "
						+ "requests, %d failed; %d streams under way at the fault, %d failed; ejections %d, retries "
						+ "before the first token %d, mid-stream failovers %d%n",
				hung.id(), ejectedAfterMillis, requests, failures.size(), inFlight.size(), streamFailures.size(),
				metrics.getOrDefault("ejections", 0L), metrics.getOrDefault("before_first_token", 0L),
				metrics.getOrDefault("mid_stream", 0L));

		assertThat(streamFailures).as("streams under way when the replica hung").isEmpty();

		assertThat(failures).as("client-visible failures").isEmpty();
		assertThat(ejectedAfterMillis).as("time to ejection").isNotNegative();
		assertThat(metrics.getOrDefault("ejections", 0L)).as("ejected again after failed trials")
			.isGreaterThanOrEqualTo(2);
	}

	/**
	 * Starts a cluster, again if a child lost its free port to another process on this
	 * shared machine before binding it ({@code FreePorts} can only say a port was free).
	 */
	private static LocalCluster start(int replicas, List<String> engineArgs, List<String> gatewayArgs)
			throws Exception {
		for (int attempt = 1;; attempt++) {
			try {
				return LocalCluster.start(replicas, engineArgs, gatewayArgs);
			}
			catch (IllegalStateException ex) {
				if (attempt == 3 || !String.valueOf(ex.getMessage()).contains("Address already in use")) {
					throw ex;
				}
				System.out.println("A port was taken before a child bound it; starting the cluster again");
			}
		}
	}

	private StreamResult stream(String path, String body, boolean chat, AtomicInteger streaming, AtomicInteger peak) {
		boolean counted = false;
		try (RawHttp http = RawHttp.postJson(this.cluster.gatewayPort(), path, body)) {
			if (http.status() != 200) {
				return StreamResult.failed(chat, "HTTP " + http.status() + ": " + http.body());
			}
			SseReader reader = new SseReader(http);
			List<String> events = new ArrayList<>();
			for (String event = reader.next(); event != null; event = reader.next()) {
				events.add(event);
				if (!counted && events.size() == 5) {
					peak.accumulateAndGet(streaming.incrementAndGet(), Math::max);
					counted = true;
				}
			}
			return check(chat, events);
		}
		catch (IOException ex) {
			return StreamResult.failed(chat, "I/O: " + ex);
		}
		finally {
			if (counted) {
				streaming.decrementAndGet();
			}
		}
	}

	private static StreamResult check(boolean chat, List<String> events) throws IOException {
		if (events.size() < 3 || !events.get(events.size() - 1).equals("[DONE]")) {
			return StreamResult.failed(chat, "no [DONE]: " + tail(events));
		}
		String id = null;
		int textChunks = 0;
		int finishes = 0;
		for (String event : events.subList(0, events.size() - 2)) {
			JsonNode chunk = JSON.readTree(event);
			if (chunk.has("error")) {
				return StreamResult.failed(chat, "error event: " + event);
			}
			if (id == null) {
				id = chunk.get("id").asText();
			}
			else if (!id.equals(chunk.get("id").asText())) {
				return StreamResult.failed(chat, "id changed from " + id + " to " + chunk.get("id").asText());
			}
			JsonNode choice = chunk.at("/choices/0");
			String text = chat ? choice.at("/delta/content").asText("") : choice.path("text").asText("");
			textChunks += text.isEmpty() ? 0 : 1;
			finishes += choice.path("finish_reason").isTextual() ? 1 : 0;
		}
		JsonNode usage = JSON.readTree(events.get(events.size() - 2)).get("usage");
		if (usage == null) {
			return StreamResult.failed(chat, "no usage event: " + tail(events));
		}
		int completion = usage.get("completion_tokens").asInt();
		if (finishes != 1 || textChunks != MAX_TOKENS || completion != MAX_TOKENS) {
			return StreamResult.failed(chat, "finishes %d, text chunks %d, completion_tokens %d (expected: 1, %d, %d)"
				.formatted(finishes, textChunks, completion, MAX_TOKENS, MAX_TOKENS));
		}
		return new StreamResult(chat, null, usage.get("prompt_tokens").asInt());
	}

	private static String tail(List<String> events) {
		return events.subList(Math.max(0, events.size() - 3), events.size()).toString();
	}

	/** Kills the replica and its engine with SIGKILL, all at once; returns how many. */
	private static long killTree(LocalCluster.Replica replica) {
		ProcessHandle root = ProcessHandle.of(replica.service().process().pid()).orElseThrow();
		List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
		tree.add(0, root);
		tree.forEach(ProcessHandle::destroyForcibly);
		return tree.size();
	}

	private void injectFaults(LocalCluster.Replica replica, String faults) throws Exception {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + replica.enginePort() + "/admin/faults"))
			.timeout(Duration.ofSeconds(5))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(faults))
			.build();
		HttpResponse<String> response = ServiceProcess.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

	/** The gateway's failover and ejection counters, summed over tags. */
	private Map<String, Long> gatewayCounters() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(this.cluster.gatewayUri("/actuator/prometheus"))
			.timeout(Duration.ofSeconds(5))
			.GET()
			.build();
		String text = ServiceProcess.HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
		Map<String, Long> counters = new TreeMap<>();
		sum(counters, text, "llmserve_gateway_failovers_total\\{[^}]*phase=\"mid_stream\"[^}]*\\} (\\S+)",
				"mid_stream");
		sum(counters, text, "llmserve_gateway_retries_total\\{[^}]*\\} (\\S+)", "before_first_token");
		sum(counters, text, "llmserve_gateway_replica_ejections_total\\{[^}]*\\} (\\S+)", "ejections");
		sum(counters, text, "llmserve_gateway_replicas_ejected\\{[^}]*\\} (\\S+)", "ejected");
		return counters;
	}

	private static void sum(Map<String, Long> counters, String text, String regex, String key) {
		Matcher matcher = Pattern.compile(regex).matcher(text);
		while (matcher.find()) {
			counters.merge(key, (long) Double.parseDouble(matcher.group(1)), Long::sum);
		}
	}

	private record StreamResult(boolean chat, String failure, int promptTokens) {

		static StreamResult failed(boolean chat, String failure) {
			return new StreamResult(chat, failure, -1);
		}

	}

}
