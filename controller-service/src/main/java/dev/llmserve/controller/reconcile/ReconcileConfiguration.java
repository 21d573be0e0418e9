package dev.llmserve.controller.reconcile;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.llmserve.controller.cluster.ClusterChange;
import dev.llmserve.controller.cluster.ClusterState;
import dev.llmserve.controller.cluster.ClusterSync;
import dev.llmserve.controller.cluster.WorkerClient;
import dev.llmserve.controller.deployments.DeploymentConditions;
import dev.llmserve.controller.deployments.DeploymentStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The reconciler and the loop that runs it. */
@Configuration(proxyBeanMethods = false)
class ReconcileConfiguration {

	/** Every action {@link Reconciler#onAction} reports. */
	static final List<String> ACTIONS = List.of("start", "drain", "stop", "start_failed", "stop_failed", "remove");

	@Bean
	Reconciler reconciler(DeploymentStore store, ClusterState cluster, ClusterSync sync, WorkerClient workers,
			DeploymentConditions conditions, ReconcileProperties properties, ObjectProvider<Clock> clock,
			MeterRegistry meters) {
		Reconciler reconciler = new Reconciler(store, cluster, sync, workers, conditions, properties,
				clock.getIfAvailable(Clock::systemUTC), new ReplicaIdSuffixes());
		Map<String, Counter> actions = new HashMap<>();
		for (String action : ACTIONS) {
			actions.put(action,
					Counter.builder("llmserve.controller.reconcile.actions")
						.description("Actions the reconciler took, by kind")
						.tag("action", action)
						.register(meters));
		}
		reconciler.onAction((action) -> actions.get(action).increment());
		return reconciler;
	}

	@Bean
	ReconcileLoop reconcileLoop(Reconciler reconciler, DeploymentStore store, ClusterState cluster, ClusterSync sync,
			ReconcileProperties properties) {
		ReconcileLoop loop = new ReconcileLoop(reconciler);
		Flux<Object> events = Flux.<Object>merge(store.changes(),
				cluster.changes().filter((change) -> change != ClusterChange.LOADS_CHANGED),
				sync.whenSynced().thenReturn(Boolean.TRUE));
		loop.start(properties.interval(), events);
		return loop;
	}

}
