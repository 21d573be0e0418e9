package dev.llmserve.controller.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.llmserve.controller.local.supervision.HealthCheck;
import dev.llmserve.controller.local.supervision.RestartPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Local mode ({@code llmserve.controller.local.*}): the controller runs the gateway and
 * the worker agents as child processes on this machine.
 *
 * @param enabled whether local mode runs at all; off for tests of the core and for setups
 * whose nodes come from elsewhere
 * @param gateway the gateway process
 * @param workers the worker-agent processes, one per local node
 * @param health how every child is health-checked
 * @param restart when a child that ended is started again
 * @param stopGrace how long a child gets after SIGTERM, when the controller stops, before
 * its process tree is killed (a worker stops its replicas meanwhile)
 * @param java the {@code java} that runs the children; defaults to the one running this
 * controller
 */
@Validated
@ConfigurationProperties("llmserve.controller.local")
public record LocalProperties(@DefaultValue("true") boolean enabled, @Valid @DefaultValue Gateway gateway,
		@Valid @DefaultValue Workers workers, @Valid @DefaultValue HealthCheck health,
		@Valid @DefaultValue RestartPolicy restart, @NotNull @DefaultValue("20s") Duration stopGrace, Path java) {

	public LocalProperties {
		if (stopGrace.isNegative()) {
			throw new IllegalArgumentException("stopGrace: %s (expected: >= 0)".formatted(stopGrace));
		}
		if (java == null) {
			java = Path.of(System.getProperty("java.home"), "bin", "java");
		}
	}

	/**
	 * The gateway.
	 *
	 * @param jar the gateway-service jar; defaults to
	 * {@code gateway-service/target/gateway-service.jar} in the tree this controller runs
	 * from
	 * @param port the port clients reach the gateway on; 0 picks a free one at every
	 * start
	 * @param jvmOptions options for the gateway's JVM; {@value #DEFAULT_JVM_OPTIONS} when
	 * not set (more heap than a worker: it holds every stream in flight)
	 * @param fastStart whether the gateway runs from an extracted copy of its jar with a
	 * class-data-sharing archive (made once per build, under {@code <data-dir>/cache}):
	 * it then starts, and restarts after a crash, in about half the CPU time
	 */
	public record Gateway(Path jar, @Min(0) @Max(65535) @DefaultValue("8000") int port, List<String> jvmOptions,
			@DefaultValue("true") boolean fastStart) {

		static final String DEFAULT_JVM_OPTIONS = "-Xms256m -Xmx1g -XX:+ExitOnOutOfMemoryError";

		public Gateway {
			jvmOptions = (jvmOptions != null) ? List.copyOf(jvmOptions) : List.of(DEFAULT_JVM_OPTIONS.split(" "));
		}

	}

	/**
	 * The worker agents: worker {@code i} is {@code local-<i>} and listens on
	 * {@code basePort + 2i} (gRPC) and {@code basePort + 2i + 1} (HTTP).
	 *
	 * @param count how many run
	 * @param jar the worker-agent jar; defaults to
	 * {@code worker-agent/target/worker-agent.jar} in the tree this controller runs from
	 * @param basePort the first port; 0 picks free ones at every start
	 * @param gpus the simulated GPU slots each worker advertises (where no GPU is found)
	 * @param jvmOptions options for each worker's JVM; {@value #DEFAULT_JVM_OPTIONS} when
	 * not set
	 */
	public record Workers(@Min(0) @DefaultValue("2") int count, Path jar,
			@Min(0) @Max(65535) @DefaultValue("9300") int basePort, @Min(0) @DefaultValue("2") int gpus,
			List<String> jvmOptions) {

		static final String DEFAULT_JVM_OPTIONS = "-Xmx512m -XX:+ExitOnOutOfMemoryError";

		public Workers {
			jvmOptions = (jvmOptions != null) ? List.copyOf(jvmOptions) : List.of(DEFAULT_JVM_OPTIONS.split(" "));
			if (basePort > 0 && basePort + 2 * count - 1 > 65535) {
				throw new IllegalArgumentException(
						"basePort: %d (expected: room for %d ports below 65536, or 0)".formatted(basePort, 2 * count));
			}
		}

	}

}
