package dev.llmserve.systemtests;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The local cluster from one command: a controller that starts the gateway and two worker
 * agents; deployments created, scaled and healed through the admin API while traffic
 * flows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterIntegrationTests {

	private static final String DEPLOYMENT = "demo";

	@TempDir
	static Path dataDir;

	@RegisterExtension
	static final KeepLogsOnFailure keepLogs = new KeepLogsOnFailure(() -> dataDir);

	private static ControlPlane cluster;

	@BeforeAll
	static void startCluster() throws Exception {
		cluster = ControlPlane.start(dataDir);
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
			assertThat(cluster.leftovers()).as("processes left running").isEmpty();
		}
	}

	@Test
	@Order(1)
	void aDeploymentCreatedThroughTheApiServesStreamsThroughTheGateway() throws Exception {
		Http.Response created = cluster.admin("POST", "/api/v1/deployments",
				ControlPlane.deploymentJson(DEPLOYMENT, 2));
		assertThat(created.status()).as(created.body()).isEqualTo(201);

		awaitReady(2);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> Streams.failureOf(cluster.gatewayPort(), "/v1/completions", completion(8)) == null);
		assertThat(cluster.admin("POST", "/api/v1/deployments", ControlPlane.deploymentJson(DEPLOYMENT, 2)).status())
			.as("duplicate name")
			.isEqualTo(409);
	}

	@Test
	@Order(2)
	void scalingUpAndDownWhileStreamsRunLosesNoRequest() throws Exception {
		try (BackgroundLoad load = BackgroundLoad.start(cluster.gatewayPort(), DEPLOYMENT, 6, 40)) {
			scale(3);
			awaitReady(3);
			scale(1);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> cluster.deployment(DEPLOYMENT).path("replicas").size() == 1);
			Thread.sleep(1000);
			load.close();

			assertThat(load.failures()).as("failed streams").isEmpty();
			assertThat(load.succeeded()).isGreaterThan(10);
		}
		assertThat(replicaProcesses()).hasSize(1);
	}

	@Test
	@Order(3)
	void aReplicaKilledWithSigkillIsRestartedAndServesAgain() throws Exception {
		scale(2);
		awaitReady(2);
		ProcessHandle replica = cluster.process("replica-service", "--llmserve.replica.deployment=" + DEPLOYMENT);
		List<String> idsBefore = cluster.readyReplicas(DEPLOYMENT);

		replica.destroyForcibly();

		await().atMost(Duration.ofSeconds(60))
			.until(() -> !replica.isAlive() && replicaProcesses().size() == 2
					&& cluster.readyReplicas(DEPLOYMENT).size() == 2);
		assertThat(cluster.readyReplicas(DEPLOYMENT)).containsExactlyInAnyOrderElementsOf(idsBefore);
		int restarts = 0;
		for (var status : cluster.deployment(DEPLOYMENT).path("replicas")) {
			restarts += status.path("restarts").asInt();
		}
		assertThat(restarts).isEqualTo(1);
		for (int i = 0; i < 10; i++) {
			assertThat(Streams.failureOf(cluster.gatewayPort(), "/v1/completions", completion(5))).isNull();
		}
	}

	@Test
	@Order(4)
	void aGatewayKilledWithSigkillServesAgainWithinFiveSeconds() throws Exception {
		ProcessHandle gateway = cluster.process("gateway-service", "");
		gateway.destroyForcibly();
		long killedAt = System.nanoTime();
		gateway.onExit().get(5, TimeUnit.SECONDS);

		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> Streams.failureOf(cluster.gatewayPort(), "/v1/completions", completion(1)) == null);
		Duration downtime = Duration.ofNanos(System.nanoTime() - killedAt);

		System.out.println("gateway kill -9 -> serving again: " + downtime.toMillis() + " ms");
		assertThat(downtime).isLessThan(Duration.ofSeconds(5));
	}

	private static void scale(int replicas) throws Exception {
		Http.Response scaled = cluster.admin("PUT", "/api/v1/deployments/" + DEPLOYMENT + "/replicas",
				"{\"replicas\":" + replicas + "}");
		assertThat(scaled.status()).as(scaled.body()).isEqualTo(200);
	}

	private static void awaitReady(int replicas) {
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> cluster.readyReplicas(DEPLOYMENT).size() == replicas);
	}

	private static List<ProcessHandle> replicaProcesses() {
		return cluster.processes()
			.stream()
			.filter(ProcessHandle::isAlive)
			.filter((handle) -> handle.info().commandLine().orElse("").contains("replica-service.jar"))
			.toList();
	}

	private static String completion(int maxTokens) {
		return """
				{"model":"demo","prompt":"Hello","max_tokens":%d,"ignore_eos":true,"stream":true}"""
			.formatted(maxTokens);
	}

}
