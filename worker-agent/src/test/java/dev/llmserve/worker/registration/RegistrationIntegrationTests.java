package dev.llmserve.worker.registration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.llmserve.process.FreePorts;
import dev.llmserve.proto.RegisterWorkerRequest;
import dev.llmserve.worker.support.Eventually;
import dev.llmserve.worker.support.FakeController;
import dev.llmserve.worker.support.WorkerAgentApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class RegistrationIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@TempDir
	Path dir;

	private FakeController controller;

	private WorkerAgentApp worker;

	@AfterEach
	void close() {
		if (this.worker != null) {
			this.worker.close();
		}
		if (this.controller != null) {
			this.controller.close();
		}
	}

	@Test
	void registersWithItsAddressAndGpusThenHeartbeats() throws Exception {
		this.controller = FakeController.start();
		this.worker = startWorker(this.controller.address());

		RegisterWorkerRequest registration = awaitRegistrations(1).get(0);
		Eventually.await("three heartbeats", TIMEOUT, () -> this.controller.heartbeats().size() >= 3);

		assertThat(registration.getWorkerId()).isEqualTo("worker-7");
		assertThat(registration.getAddress()).isEqualTo("127.0.0.1:" + this.worker.grpcPort());
		assertThat(registration.getGpuIdsList()).containsExactly("0", "1", "2");
		assertThat(this.controller.heartbeats()).allSatisfy((heartbeat) -> {
			assertThat(heartbeat.getWorkerId()).isEqualTo("worker-7");
			assertThat(heartbeat.getReplicasList()).isEmpty();
		});
		assertThat(readiness()).isEqualTo(200);
	}

	@Test
	void staysUnreadyAndKeepsTryingUntilTheControllerIsReachable() throws Exception {
		int port = FreePorts.find();
		this.worker = startWorker("127.0.0.1:" + port);
		Eventually.await("failed registration attempts", TIMEOUT,
				() -> this.worker.bean(RegistrationState.class).failedAttempts() >= 3);
		assertThat(readiness()).isEqualTo(503);

		this.controller = FakeController.startOn(port);

		awaitRegistrations(1);
		Eventually.await("readiness", TIMEOUT, () -> readiness() == 200);
	}

	@Test
	void registersAgainWhenTheControllerComesBackOnTheSamePort() {
		this.controller = FakeController.start();
		this.worker = startWorker(this.controller.address());
		awaitRegistrations(1);

		this.controller.stop();
		Eventually.await("a failed heartbeat", TIMEOUT,
				() -> this.worker.bean(RegistrationState.class).failedAttempts() >= 1);
		this.controller.restart();

		List<RegisterWorkerRequest> registrations = awaitRegistrations(2);
		assertThat(registrations.get(1).getAddress()).isEqualTo(registrations.get(0).getAddress());
		int heartbeats = this.controller.heartbeats().size();
		Eventually.await("heartbeats after registering again", TIMEOUT,
				() -> this.controller.heartbeats().size() > heartbeats);
	}

	@Test
	void registersAgainWhenTheControllerAsksTo() {
		this.controller = FakeController.start();
		this.worker = startWorker(this.controller.address());
		awaitRegistrations(1);

		this.controller.askToRegisterAgain();

		awaitRegistrations(2);
	}

	private WorkerAgentApp startWorker(String controller) {
		return WorkerAgentApp.start(Map.of("id", "worker-7", "controller", controller, "gpu-ids", "0,1,2",
				"replica-jar", fakeJar().toString(), "heartbeat-interval", "200ms", "registration.initial-backoff",
				"100ms", "registration.max-backoff", "500ms", "registration.call-timeout", "1s"));
	}

	private List<RegisterWorkerRequest> awaitRegistrations(int count) {
		return Eventually.await(count + " registration(s)", TIMEOUT, this.controller::registrations,
				(registrations) -> registrations.size() >= count);
	}

	/** No replica is started here; the jar only has to exist. */
	private Path fakeJar() {
		try {
			return Files.writeString(this.dir.resolve("replica-service.jar"), "not run");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private int readiness() {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.worker.httpPort() + "/actuator/health/readiness"))
			.timeout(Duration.ofSeconds(5))
			.build();
		try {
			return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
