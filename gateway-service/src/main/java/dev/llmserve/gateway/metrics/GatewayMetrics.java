package dev.llmserve.gateway.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;

/**
 * Request-path metrics, tagged only by deployment and outcome:
 * {@code llmserve.gateway.streams.active} (gauge), {@code llmserve.gateway.requests}
 * (counter; outcome success, cancelled, rejected, overloaded, unavailable, timeout or
 * failed) and {@code llmserve.gateway.time.to.first.token} (timer with a percentile
 * histogram).
 */
public final class GatewayMetrics {

	private final MeterRegistry registry;

	private final ConcurrentMap<String, DeploymentMeters> meters = new ConcurrentHashMap<>();

	public GatewayMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Counts one generation of the deployment: active while subscribed, its time to the
	 * first chunk, and how it ended.
	 */
	public <T> Flux<T> instrument(String deployment, Flux<T> chunks) {
		return Flux.defer(() -> {
			DeploymentMeters deploymentMeters = meters(deployment);
			StreamTimer timer = new StreamTimer(deploymentMeters);
			return chunks.doOnNext((chunk) -> timer.onChunk())
				.doOnComplete(() -> deploymentMeters.count("success"))
				.doOnError((error) -> deploymentMeters.count(outcome(error)))
				.doOnCancel(() -> deploymentMeters.count("cancelled"))
				.doFinally((signal) -> deploymentMeters.streamEnded());
		});
	}

	static String outcome(Throwable error) {
		return switch (Status.fromThrowable(error).getCode()) {
			case INVALID_ARGUMENT, NOT_FOUND, OUT_OF_RANGE, FAILED_PRECONDITION -> "rejected";
			case RESOURCE_EXHAUSTED -> "overloaded";
			case UNAVAILABLE -> "unavailable";
			case DEADLINE_EXCEEDED -> "timeout";
			default -> "failed";
		};
	}

	private DeploymentMeters meters(String deployment) {
		return this.meters.computeIfAbsent(deployment, (name) -> new DeploymentMeters(this.registry, name));
	}

	/**
	 * Per-subscription state; Reactor delivers signals serially, so no synchronization.
	 */
	private static final class StreamTimer {

		private final DeploymentMeters meters;

		private final long startNanos = System.nanoTime();

		private boolean firstSeen;

		StreamTimer(DeploymentMeters meters) {
			this.meters = meters;
			meters.streamStarted();
		}

		void onChunk() {
			if (!this.firstSeen) {
				this.firstSeen = true;
				this.meters.recordTimeToFirstChunk(System.nanoTime() - this.startNanos);
			}
		}

	}

}
