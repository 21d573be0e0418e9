package dev.llmserve.controller.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmserve.controller.cluster.ClusterState;
import dev.llmserve.controller.cluster.Replica;
import dev.llmserve.controller.cluster.Replicas;
import dev.llmserve.proto.ReplicaState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The discovery file follows the cluster: a real {@link ClusterState} fed registrations
 * and heartbeats, the writer on a real scheduler, the file read back as Prometheus would.
 */
class ScrapeTargetsWriterIntegrationTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Duration WAIT = Duration.ofSeconds(5);

	@TempDir
	Path dir;

	private final ClusterState cluster = new ClusterState(Clock.systemUTC());

	private final List<ScrapeTarget> others = new CopyOnWriteArrayList<>();

	private ScrapeTargetsWriter writer;

	@AfterEach
	void close() {
		if (this.writer != null) {
			this.writer.close();
		}
	}

	@Test
	void theTargetListFollowsReplicasAsTheyComeAndGo() throws IOException {
		// A refresh interval far beyond the test: only change events can move the file.
		start(Duration.ofHours(1));
		await().atMost(WAIT).until(() -> Files.exists(file()));
		assertThat(targets()).isEmpty();

		Replica a = Replicas.ready("chat-a", "chat", "w1", "0");
		Replica b = Replicas.ready("chat-b", "chat", "w1", "1");
		this.cluster.register("w1", "127.0.0.1:7001", List.of("0", "1"), List.of(a, b));
		await().atMost(WAIT)
			.until(() -> targets().equals(Map.of(a.httpAddress(), "chat-a", b.httpAddress(), "chat-b")));
		JsonNode labels = group(a.httpAddress()).path("labels");
		assertThat(labels.path("service").asText()).isEqualTo("replica");
		assertThat(labels.path("deployment").asText()).isEqualTo("chat");
		assertThat(labels.path("worker").asText()).isEqualTo("w1");

		this.cluster.heartbeat("w1", List.of(b));
		await().atMost(WAIT).until(() -> targets().equals(Map.of(b.httpAddress(), "chat-b")));

		this.cluster.forgetIfSilentSince("w1", Instant.now().plusSeconds(1));
		await().atMost(WAIT).until(() -> targets().isEmpty());
	}

	@Test
	void aReplicaWithoutAnHttpAddressIsNotATarget() {
		start(Duration.ofHours(1));
		Replica failed = new Replica("chat-a", "chat", "w1", List.of("0"), ReplicaState.REPLICA_FAILED, "", "",
				Replicas.ready("x", "chat", "w1").load(), 1, "crashed");
		Replica ready = Replicas.ready("chat-b", "chat", "w1", "1");

		this.cluster.register("w1", "127.0.0.1:7001", List.of("0", "1"), List.of(failed, ready));

		await().atMost(WAIT).until(() -> targets().equals(Map.of(ready.httpAddress(), "chat-b")));
	}

	@Test
	void otherSourcesAreCheckedEveryRefreshInterval() throws IOException {
		start(Duration.ofMillis(50));
		await().atMost(WAIT).until(() -> Files.exists(file()));

		this.others.add(new ScrapeTarget("127.0.0.1:8000", Map.of("service", "gateway")));

		await().atMost(WAIT).until(() -> group("127.0.0.1:8000") != null);
		assertThat(group("127.0.0.1:8000").path("labels").path("service").asText()).isEqualTo("gateway");
	}

	private void start(Duration refreshInterval) {
		this.writer = new ScrapeTargetsWriter(new ScrapeTargetsFile(file()),
				List.of(new ReplicaScrapeTargets(this.cluster), () -> List.copyOf(this.others)), this.cluster.changes(),
				refreshInterval, Schedulers.boundedElastic());
	}

	private Path file() {
		return this.dir.resolve("prometheus/targets.json");
	}

	/** Replica targets: address → replica label. */
	private Map<String, String> targets() throws IOException {
		Map<String, String> targets = new TreeMap<>();
		for (JsonNode group : groups()) {
			if (group.path("labels").path("service").asText().equals("replica")) {
				targets.put(group.path("targets").get(0).asText(), group.path("labels").path("replica").asText());
			}
		}
		return targets;
	}

	private JsonNode group(String address) throws IOException {
		for (JsonNode group : groups()) {
			if (group.path("targets").get(0).asText().equals(address)) {
				return group;
			}
		}
		return null;
	}

	private List<JsonNode> groups() throws IOException {
		List<JsonNode> groups = new ArrayList<>();
		if (Files.exists(file())) {
			JSON.readTree(file().toFile()).forEach(groups::add);
		}
		return groups;
	}

}
