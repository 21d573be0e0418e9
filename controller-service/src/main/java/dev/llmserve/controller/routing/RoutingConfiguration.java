package dev.llmserve.controller.routing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.llmserve.controller.cluster.ClusterState;
import dev.llmserve.controller.cluster.ClusterSync;
import dev.llmserve.controller.cluster.ControllerRun;
import dev.llmserve.controller.deployments.DeploymentStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;

/** The snapshot publisher and the {@code Routing} service. */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

	@Bean
	SnapshotPublisher snapshotPublisher(DeploymentStore store, ClusterState cluster, ClusterSync sync,
			ControllerRun run, RoutingProperties properties, MeterRegistry meters) {
		Timer publishDelay = Timer.builder("llmserve.controller.routing.publish.delay")
			.description("From a change of deployments or replicas to the snapshot that carries it")
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(30))
			.register(meters);
		SnapshotPublisher publisher = new SnapshotPublisher(() -> SnapshotContent.of(store.list(), cluster.workers()),
				run.id(), Schedulers.newSingle("snapshot-publisher", true), properties,
				(delayMillis) -> publishDelay.record(delayMillis, TimeUnit.MILLISECONDS));
		publisher.start(Flux.merge(store.changes(), cluster.changes()), sync.whenSynced());
		return publisher;
	}

	/**
	 * Ends the watch streams when the controller shuts down, before the gRPC server waits
	 * for open calls to finish: gateways keep their table and reconnect.
	 */
	@Bean
	ApplicationListener<ContextClosedEvent> endWatchesOnShutdown(SnapshotPublisher publisher) {
		return (event) -> publisher.stop();
	}

	@Bean
	RoutingGrpcService routingGrpcService(SnapshotPublisher publisher) {
		return new RoutingGrpcService(publisher);
	}

	@Bean
	MeterBinder routingMeters(RoutingGrpcService service, SnapshotPublisher publisher) {
		return (registry) -> {
			Gauge.builder("llmserve.controller.routing.watchers", service, RoutingGrpcService::watchers)
				.description("Gateways watching the routing snapshots")
				.register(registry);
			Gauge.builder("llmserve.controller.routing.version", publisher, SnapshotPublisher::version)
				.description("Version of the latest routing snapshot")
				.register(registry);
		};
	}

}
