package dev.llmserve.worker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the worker agent ({@code llmserve.worker.*}).
 *
 * @param id the worker's id at the controller; defaults to the host name
 * @param controller the controller's gRPC address, {@code host:port}
 * @param advertiseHost the host the controller and gateways reach this node at: the
 * worker's and its replicas' addresses are advertised with it
 * @param gpus how many simulated GPU slots to advertise when no GPU is detected
 * @param gpuIds the GPU ids to advertise, overriding detection
 * @param replicaJar the replica-service jar; defaults to
 * {@code replica-service/target/replica-service.jar} beside this worker's own module
 * @param replicaJvmOptions JVM options of every replica process
 * @param replicaHttpBindAddress the address replicas' HTTP (Actuator) servers bind:
 * loopback keeps them off the network; {@code 0.0.0.0} lets a Prometheus on another host
 * (another container of a compose network) scrape them
 * @param heartbeatInterval how often the full replica status goes to the controller (the
 * controller may ask for another interval when the worker registers)
 * @param stopGrace how long a replica gets after SIGTERM, on top of its drain timeout,
 * before its process tree is killed; also bounds the worker's own shutdown
 * @param defaultDrainTimeout the drain timeout of a {@code StopReplica} that sets none
 * @param restart restarting replicas that crashed
 * @param health health-checking replicas
 * @param registration registering with the controller
 */
@Validated
@ConfigurationProperties("llmserve.worker")
public record WorkerProperties(String id, @NotBlank @DefaultValue("127.0.0.1:9090") String controller,
		@NotBlank @DefaultValue("127.0.0.1") String advertiseHost, @Min(0) @Max(1024) @DefaultValue("2") int gpus,
		@DefaultValue List<String> gpuIds, Path replicaJar, @DefaultValue("-Xmx384m") List<String> replicaJvmOptions,
		@NotBlank @DefaultValue("127.0.0.1") String replicaHttpBindAddress,
		@NotNull @DefaultValue("1s") Duration heartbeatInterval, @NotNull @DefaultValue("20s") Duration stopGrace,
		@NotNull @DefaultValue("30s") Duration defaultDrainTimeout, @Valid @DefaultValue Restart restart,
		@Valid @DefaultValue Health health, @Valid @DefaultValue Registration registration) {

	public WorkerProperties {
		id = (id == null || id.isBlank()) ? localHostName() : id.trim();
		gpuIds = (gpuIds != null) ? gpuIds.stream().map(String::trim).filter((gpu) -> !gpu.isEmpty()).toList()
				: List.of();
		replicaJvmOptions = (replicaJvmOptions != null) ? List.copyOf(replicaJvmOptions) : List.of();
		Durations.requirePositive("heartbeatInterval", heartbeatInterval);
		Durations.requirePositive("stopGrace", stopGrace);
		Durations.requirePositive("defaultDrainTimeout", defaultDrainTimeout);
	}

	private static String localHostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			String fromEnvironment = System.getenv("HOSTNAME");
			return (fromEnvironment != null && !fromEnvironment.isBlank()) ? fromEnvironment
					: "worker-" + ProcessHandle.current().pid();
		}
	}

	/**
	 * Restarting crashed replicas: exponential backoff from {@code initialBackoff},
	 * doubling up to {@code maxBackoff}; a replica restarted {@code maxRestarts} times
	 * within {@code window} is left FAILED.
	 *
	 * @param initialBackoff the delay before the first restart
	 * @param maxBackoff the longest delay between restarts
	 * @param maxRestarts restarts allowed within the window
	 * @param window the period restarts are counted over
	 */
	public record Restart(@NotNull @DefaultValue("1s") Duration initialBackoff,
			@NotNull @DefaultValue("30s") Duration maxBackoff, @Min(0) @DefaultValue("10") int maxRestarts,
			@NotNull @DefaultValue("10m") Duration window) {

		public Restart {
			Durations.requirePositive("restart.initialBackoff", initialBackoff);
			Durations.requirePositive("restart.maxBackoff", maxBackoff);
			Durations.requirePositive("restart.window", window);
			if (maxBackoff.compareTo(initialBackoff) < 0) {
				throw new IllegalArgumentException("restart.maxBackoff: %s (expected: >= initialBackoff %s)"
					.formatted(maxBackoff, initialBackoff));
			}
		}

	}

	/**
	 * Health-checking replicas.
	 *
	 * @param interval how often every replica is checked
	 * @param timeout the deadline of one gRPC health check
	 * @param loadTimeout the deadline of one {@code GetLoad} call
	 * @param startupTimeout how long a simulator replica may take to become ready before
	 * it is killed and restarted
	 * @param vllmStartupTimeout the same for a vLLM replica (model download and load)
	 * @param unhealthyTimeout how long a ready replica may fail its health checks before
	 * it is killed and restarted
	 */
	public record Health(@NotNull @DefaultValue("1s") Duration interval, @NotNull @DefaultValue("1s") Duration timeout,
			@NotNull @DefaultValue("500ms") Duration loadTimeout,
			@NotNull @DefaultValue("120s") Duration startupTimeout,
			@NotNull @DefaultValue("25m") Duration vllmStartupTimeout,
			@NotNull @DefaultValue("30s") Duration unhealthyTimeout) {

		public Health {
			Durations.requirePositive("health.interval", interval);
			Durations.requirePositive("health.timeout", timeout);
			Durations.requirePositive("health.loadTimeout", loadTimeout);
			Durations.requirePositive("health.startupTimeout", startupTimeout);
			Durations.requirePositive("health.vllmStartupTimeout", vllmStartupTimeout);
			Durations.requirePositive("health.unhealthyTimeout", unhealthyTimeout);
		}

	}

	/**
	 * Registering with the controller: while it is unreachable, attempts back off
	 * exponentially (with jitter) from {@code initialBackoff} up to {@code maxBackoff}.
	 * The cap stays at about one heartbeat interval on purpose: a restarted controller
	 * waits only a few heartbeats for workers to report before it treats their replicas
	 * as lost, so a worker must keep knocking (one cheap call a second) for as long as
	 * the controller is away.
	 *
	 * @param initialBackoff the delay before the second attempt
	 * @param maxBackoff the longest delay between attempts
	 * @param callTimeout the deadline of every call to the controller
	 */
	public record Registration(@NotNull @DefaultValue("500ms") Duration initialBackoff,
			@NotNull @DefaultValue("1s") Duration maxBackoff, @NotNull @DefaultValue("3s") Duration callTimeout) {

		public Registration {
			Durations.requirePositive("registration.initialBackoff", initialBackoff);
			Durations.requirePositive("registration.maxBackoff", maxBackoff);
			Durations.requirePositive("registration.callTimeout", callTimeout);
		}

	}

}
