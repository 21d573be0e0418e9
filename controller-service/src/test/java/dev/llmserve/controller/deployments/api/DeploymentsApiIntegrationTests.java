package dev.llmserve.controller.deployments.api;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

/** The admin API over HTTP, with no workers: the store and the reconciler are real. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.grpc.server.port=0", "llmserve.controller.seed-deployments=false",
				"llmserve.controller.local.enabled=false", "llmserve.controller.cluster.startup-grace=0s",
				"llmserve.controller.reconcile.interval=100ms" })
class DeploymentsApiIntegrationTests {

	@TempDir
	static Path dataDir;

	@Autowired
	private WebTestClient http;

	@DynamicPropertySource
	static void dataDir(DynamicPropertyRegistry registry) {
		registry.add("llmserve.controller.data-dir", () -> dataDir.toString());
	}

	@Test
	void createsADeploymentAndShowsItWithItsReplicas() {
		create(deployment("created", 2)).expectStatus()
			.isCreated()
			.expectHeader()
			.location("/api/v1/deployments/created")
			.expectBody()
			.jsonPath("$.deployment.name")
			.isEqualTo("created")
			.jsonPath("$.deployment.engine.kind")
			.isEqualTo("sim")
			.jsonPath("$.deployment.engine.profile")
			.isEqualTo("instant")
			.jsonPath("$.deployment.engine.args[1]")
			.isEqualTo("10")
			.jsonPath("$.deployment.gpusPerReplica")
			.isEqualTo(1)
			.jsonPath("$.deployment.replicas")
			.isEqualTo(2)
			.jsonPath("$.deployment.maxConcurrentPerReplica")
			.isEqualTo(64)
			.jsonPath("$.deployment.drainTimeoutSeconds")
			.isEqualTo(30)
			.jsonPath("$.phase")
			.isEqualTo("ACTIVE")
			.jsonPath("$.replicas")
			.isEmpty();

		this.http.get()
			.uri("/api/v1/deployments/created")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.deployment.model")
			.isEqualTo("TinyLlama/TinyLlama-1.1B-Chat-v1.0")
			.jsonPath("$.readyReplicas")
			.isEqualTo(0);
	}

	@Test
	void saysWhyNoReplicaRunsWhenNoWorkerIsRegistered() {
		create(deployment("waiting", 1)).expectStatus().isCreated();

		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> this.http.get()
				.uri("/api/v1/deployments/waiting")
				.exchange()
				.expectBody()
				.jsonPath("$.message")
				.value(containsString("cannot be placed")));
	}

	@Test
	void listsEveryDeployment() {
		create(deployment("listed-a", 1)).expectStatus().isCreated();
		create(deployment("listed-b", 1)).expectStatus().isCreated();

		this.http.get()
			.uri("/api/v1/deployments")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[?(@.deployment.name == 'listed-a')]")
			.exists()
			.jsonPath("$[?(@.deployment.name == 'listed-b')]")
			.exists();
	}

	@Test
	void scalesADeployment() {
		create(deployment("scaled", 1)).expectStatus().isCreated();

		this.http.put()
			.uri("/api/v1/deployments/scaled/replicas")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"replicas\":3}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.deployment.replicas")
			.isEqualTo(3);
	}

	@Test
	void deletingMarksTheDeploymentDeletingAndItDisappearsOnceItHasNoReplicas() {
		create(deployment("deleted", 1)).expectStatus().isCreated();

		this.http.delete()
			.uri("/api/v1/deployments/deleted")
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.phase")
			.isEqualTo("DELETING");

		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(
					() -> this.http.get().uri("/api/v1/deployments/deleted").exchange().expectStatus().isNotFound());
	}

	@Test
	void invalidInputIsABadRequestNamingEachField() {
		create("""
				{"name":"Bad Name","model":"","engine":{"kind":"sim","profile":"h100-fantasy"},
				 "gpusPerReplica":0,"replicas":-1}""").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid request")
			.jsonPath("$.fieldErrors[*].field")
			.isEqualTo(java.util.List.of("engine.profile", "gpusPerReplica", "model", "name", "replicas"))
			.jsonPath("$.fieldErrors[0].message")
			.value(containsString("tinyllama-a10g"));
	}

	@Test
	void anUnknownEngineKindIsABadRequest() {
		create("""
				{"name":"x","model":"m","engine":{"kind":"tgi"}}""").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.fieldErrors[0].field")
			.isEqualTo("engine.kind")
			.jsonPath("$.fieldErrors[0].message")
			.isEqualTo("must be sim or vllm");
	}

	@Test
	void aVllmDeploymentNeedsNoProfile() {
		create("""
				{"name":"real","model":"meta-llama/Llama-3.1-8B-Instruct","engine":{"kind":"vllm",
				 "args":["--max-model-len","8192"]},"gpusPerReplica":1,"replicas":0}""").expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.deployment.engine.profile")
			.isEqualTo("")
			.jsonPath("$.message")
			.value(nullValue());
	}

	@Test
	void anUnreadableBodyIsABadRequest() {
		create("{\"name\":").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.value(containsString("unreadable request body"));
	}

	@Test
	void aBodyThatIsNotJsonIsRefusedInTheSameErrorShape() {
		this.http.post()
			.uri("/api/v1/deployments")
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("tinyllama")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.expectBody()
			.jsonPath("$.error")
			.value(containsString("text/plain"));
	}

	@Test
	void aDuplicateNameIsAConflict() {
		create(deployment("twice", 1)).expectStatus().isCreated();

		create(deployment("twice", 2)).expectStatus()
			.isEqualTo(HttpStatus.CONFLICT)
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("deployment 'twice' already exists");
	}

	@Test
	void scalingToANegativeCountIsABadRequest() {
		create(deployment("negative", 1)).expectStatus().isCreated();

		this.http.put()
			.uri("/api/v1/deployments/negative/replicas")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"replicas\":-2}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.fieldErrors[0].field")
			.isEqualTo("replicas");
	}

	@Test
	void unknownDeploymentsAreNotFound() {
		this.http.get()
			.uri("/api/v1/deployments/nope")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("deployment 'nope' not found");
		this.http.put()
			.uri("/api/v1/deployments/nope/replicas")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"replicas\":1}")
			.exchange()
			.expectStatus()
			.isNotFound();
		this.http.delete().uri("/api/v1/deployments/nope").exchange().expectStatus().isNotFound();
	}

	@Test
	void isReadyOnceTheStoreIsLoaded() {
		this.http.get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP")
			.jsonPath("$.components.deployments.status")
			.isEqualTo("UP")
			.jsonPath("$.components.deployments.details.store")
			.value(containsString("deployments.json"));
	}

	private WebTestClient.ResponseSpec create(String json) {
		return this.http.post()
			.uri("/api/v1/deployments")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(json)
			.exchange();
	}

	static String deployment(String name, int replicas) {
		return """
				{"name":"%s","model":"TinyLlama/TinyLlama-1.1B-Chat-v1.0",
				 "engine":{"kind":"sim","profile":"instant","args":["--fixed-itl-ms","10"]},
				 "gpusPerReplica":1,"replicas":%d,"maxConcurrentPerReplica":64}""".formatted(name, replicas);
	}

}
