package dev.llmserve.replica;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.llmserve.replica.engine.EngineKind;
import io.micrometer.core.instrument.Tags;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of one replica: which deployment it serves, how to run its engine, and how to
 * talk to it.
 *
 * @param deployment the deployment this replica serves (also the engine's default served
 * model name)
 * @param engine the engine sidecar
 * @param bridge the HTTP client that streams generations from the engine
 * @param load how the engine's load is read
 * @param id this replica's id, the {@code replica} tag of its metrics (the worker agent
 * passes the controller's id); defaults to the deployment
 * @param restarts how often the worker restarted this replica (and so its engine) before
 * this process: the start of {@code llmserve.replica.engine.restarts}
 */
@Validated
@ConfigurationProperties("llmserve.replica")
public record ReplicaProperties(@NotBlank @DefaultValue("tinyllama") String deployment,
		@Valid @DefaultValue Engine engine, @Valid @DefaultValue Bridge bridge, @Valid @DefaultValue Load load,
		String id, @Min(0) @DefaultValue("0") int restarts) {

	/** This replica's id: the configured one, else the deployment. */
	public String replicaId() {
		return (this.id == null || this.id.isBlank()) ? this.deployment : this.id;
	}

	/** The tags of every replica metric: {@code deployment} and {@code replica}. */
	public Tags meterTags() {
		return Tags.of("deployment", this.deployment, "replica", replicaId());
	}

	/**
	 * The name the engine serves the model under: the configured one, else the
	 * deployment.
	 */
	public String servedModelName() {
		String name = this.engine.servedModelName();
		return (name == null || name.isBlank()) ? this.deployment : name;
	}

	/**
	 * The engine sidecar.
	 *
	 * @param kind {@code sim} (the bundled simulator) or {@code vllm}
	 * @param model the model to load (vLLM: a Hugging Face id or a path)
	 * @param servedModelName the name clients use; defaults to the deployment
	 * @param profile the simulator's performance profile
	 * @param args extra command-line arguments for the engine
	 * @param python the Python interpreter that runs the simulator
	 * @param simulatorPath a simulator script to run instead of the bundled one
	 * @param vllmCommand the {@code vllm} executable
	 * @param cudaVisibleDevices the GPUs the engine may use
	 * ({@code CUDA_VISIBLE_DEVICES})
	 * @param startupTimeout how long the engine may take to answer {@code /health};
	 * defaults to 30 s for the simulator and 20 min for vLLM
	 * @param port the engine's loopback HTTP port; 0 picks a free one
	 * @param healthInterval how often {@code /health} is polled during startup
	 * @param stopGrace how long the engine gets to exit after SIGTERM before SIGKILL
	 */
	public record Engine(@NotNull @DefaultValue("sim") EngineKind kind,
			@NotBlank @DefaultValue("TinyLlama/TinyLlama-1.1B-Chat-v1.0") String model, String servedModelName,
			@NotBlank @DefaultValue("tinyllama-a10g") String profile, @DefaultValue List<String> args,
			@NotBlank @DefaultValue("python3") String python, Path simulatorPath,
			@NotBlank @DefaultValue("vllm") String vllmCommand, String cudaVisibleDevices, Duration startupTimeout,
			@Min(0) @Max(65535) @DefaultValue("0") int port, @NotNull @DefaultValue("250ms") Duration healthInterval,
			@NotNull @DefaultValue("10s") Duration stopGrace) {

		public Engine {
			args = (args != null) ? List.copyOf(args) : List.of();
			if (startupTimeout == null) {
				startupTimeout = (kind == EngineKind.VLLM) ? Duration.ofMinutes(20) : Duration.ofSeconds(30);
			}
		}

	}

	/**
	 * The streaming HTTP client to the engine.
	 *
	 * @param connectTimeout how long connecting to the engine may take
	 * @param responseTimeout how long the engine may take to send response headers
	 * @param idleTimeout the longest silence allowed while a response streams
	 * @param maxConnections the size of each I/O thread's connection pool (one connection
	 * per stream; calls use the pool of the thread they arrive on)
	 * @param maxPendingAcquires streams that may wait for a pooled connection, per I/O
	 * thread
	 * @param pendingAcquireTimeout how long a stream may wait for a pooled connection
	 * @param prefetch how many network reads are buffered ahead of a slow gRPC client
	 * @param maxEventBytes the largest SSE event accepted from the engine
	 */
	public record Bridge(@NotNull @DefaultValue("2s") Duration connectTimeout,
			@NotNull @DefaultValue("30s") Duration responseTimeout, @NotNull @DefaultValue("5m") Duration idleTimeout,
			@Min(1) @DefaultValue("1024") int maxConnections, @Min(0) @DefaultValue("256") int maxPendingAcquires,
			@NotNull @DefaultValue("5s") Duration pendingAcquireTimeout, @Min(1) @DefaultValue("16") int prefetch,
			@Min(1024) @DefaultValue("1048576") int maxEventBytes) {
	}

	/**
	 * Reading the engine's load from its Prometheus metrics.
	 *
	 * @param interval how often {@code /metrics} is read
	 * @param timeout how long one read may take
	 */
	public record Load(@NotNull @DefaultValue("1s") Duration interval,
			@NotNull @DefaultValue("800ms") Duration timeout) {
	}

}
