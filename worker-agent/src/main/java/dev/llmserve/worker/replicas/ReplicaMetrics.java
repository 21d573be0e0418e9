package dev.llmserve.worker.replicas;

import java.util.List;
import java.util.Locale;

import dev.llmserve.proto.ReplicaState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code llmserve.worker.replicas{state}}: how many replicas this worker has in each
 * state.
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
	}

}
