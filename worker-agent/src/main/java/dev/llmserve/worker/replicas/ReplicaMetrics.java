package dev.llmserve.worker.replicas;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import dev.llmserve.proto.ReplicaState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code llmserve.worker.replicas{state}}: how many replicas this worker has in each
 * state; {@code llmserve.worker.replica.launches}, {@code .restarts} and
 * {@code .failures}: counters since the worker started.
 */
final class ReplicaMetrics implements MeterBinder {

	private static final List<ReplicaState> STATES = List.of(ReplicaState.REPLICA_STARTING, ReplicaState.REPLICA_READY,
			ReplicaState.REPLICA_DRAINING, ReplicaState.REPLICA_FAILED, ReplicaState.REPLICA_STOPPED);

	private final ReplicaRegistry registry;

	ReplicaMetrics(ReplicaRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void bindTo(MeterRegistry meters) {
		for (ReplicaState state : STATES) {
			Gauge.builder("llmserve.worker.replicas", this.registry, (replicas) -> replicas.count(state))
				.tag("state", state.name().substring("REPLICA_".length()).toLowerCase(Locale.ROOT))
				.description("Replicas on this worker, by state")
				.register(meters);
		}
		counter(meters, "llmserve.worker.replica.launches", "Replica processes launched, restarts included",
				ReplicaRegistry::launchCount);
		counter(meters, "llmserve.worker.replica.restarts", "Failed replicas relaunched",
				ReplicaRegistry::restartCount);
		counter(meters, "llmserve.worker.replica.failures",
				"Replica launches that failed: exited, could not start, or were recycled as unhealthy",
				ReplicaRegistry::failureCount);
	}

	private void counter(MeterRegistry meters, String name, String description,
			ToDoubleFunction<ReplicaRegistry> count) {
		FunctionCounter.builder(name, this.registry, count).description(description).register(meters);
	}

}
