package dev.llmserve.controller.reconcile;

import java.time.Clock;

import dev.llmserve.controller.cluster.ClusterChange;
import dev.llmserve.controller.cluster.ClusterState;
import dev.llmserve.controller.cluster.ClusterSync;
import dev.llmserve.controller.cluster.WorkerClient;
import dev.llmserve.controller.deployments.DeploymentConditions;
import dev.llmserve.controller.deployments.DeploymentStore;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The reconciler and the loop that runs it. */
@Configuration(proxyBeanMethods = false)
class ReconcileConfiguration {

	@Bean
	Reconciler reconciler(DeploymentStore store, ClusterState cluster, ClusterSync sync, WorkerClient workers,
			DeploymentConditions conditions, ReconcileProperties properties, ObjectProvider<Clock> clock) {
		return new Reconciler(store, cluster, sync, workers, conditions, properties,
				clock.getIfAvailable(Clock::systemUTC), new ReplicaIdSuffixes());
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
