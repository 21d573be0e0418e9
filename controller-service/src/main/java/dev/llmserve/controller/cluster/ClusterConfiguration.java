package dev.llmserve.controller.cluster;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.llmserve.proto.ReplicaState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The cluster's actual state, the {@code WorkerRegistry} service, worker clients, the
 * liveness monitor and the startup grace.
 */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

	@Bean
	ControllerRun controllerRun() {
		return ControllerRun.random();
	}

	@Bean
	ClusterState clusterState(ObjectProvider<Clock> clock) {
		return new ClusterState(clock.getIfAvailable(Clock::systemUTC));
	}

	@Bean
	ClusterSync clusterSync() {
		return new ClusterSync();
	}

	@Bean
	WorkerChannels workerChannels() {
		return new WorkerChannels(WorkerChannels::netty);
	}

	@Bean
	WorkerClient workerClient(WorkerChannels channels, ClusterProperties properties) {
		return new GrpcWorkerClient(channels, properties.workerCallTimeout(), properties.probeTimeout());
	}

	@Bean
	WorkerRegistryGrpcService workerRegistryGrpcService(ClusterState cluster, ControllerRun run,
			ClusterProperties properties) {
		return new WorkerRegistryGrpcService(cluster, run, properties.heartbeatInterval());
	}

	@Bean
	WorkerLivenessMonitor workerLivenessMonitor(ClusterState cluster, WorkerClient client, ClusterProperties properties,
			ObjectProvider<Clock> clock) {
		return new WorkerLivenessMonitor(cluster, client, properties.silenceBeforeProbe(),
				clock.getIfAvailable(Clock::systemUTC));
	}

	/** Liveness checks, and closing the channels of forgotten workers. */
	@Bean(destroyMethod = "dispose")
	Disposable clusterTimers(ClusterState cluster, WorkerLivenessMonitor monitor, WorkerChannels channels,
			ClusterProperties properties) {
		Disposable liveness = Flux.interval(properties.heartbeatInterval())
			.onBackpressureDrop()
			.subscribe((tick) -> monitor.check());
		Disposable channelCleanup = cluster.changes()
			.filter((change) -> change == ClusterChange.WORKER_LEFT || change == ClusterChange.WORKER_JOINED)
			.subscribe((change) -> channels
				.retain(cluster.workers().stream().map(Worker::address).collect(Collectors.toSet())));
		return Disposables.composite(liveness, channelCleanup);
	}

	@Bean
	StartupGrace startupGrace(ClusterSync sync, ClusterState cluster, ClusterProperties properties) {
		return new StartupGrace(sync, cluster, properties.startupGrace());
	}

	private static final List<ReplicaState> REPLICA_STATES = List.of(ReplicaState.REPLICA_STARTING,
			ReplicaState.REPLICA_READY, ReplicaState.REPLICA_DRAINING, ReplicaState.REPLICA_FAILED,
			ReplicaState.REPLICA_STOPPED);

	private static long count(ClusterState cluster, ReplicaState state) {
		return cluster.replicas().stream().filter((replica) -> replica.state() == state).count();
	}

	@Bean
	MeterBinder clusterMeters(ClusterState cluster, ClusterSync sync) {
		return (registry) -> {
			// A worker that misses its heartbeats is dropped: every worker the controller
			// knows is live.
			Gauge.builder("llmserve.controller.workers", cluster, (state) -> state.workers().size())
				.description("Workers by state: live (registered, heartbeating)")
				.tag("state", "live")
				.register(registry);
			for (ReplicaState replicaState : REPLICA_STATES) {
				Gauge.builder("llmserve.controller.replicas", cluster, (state) -> count(state, replicaState))
					.description("Replicas workers report, by state")
					.tag("state", replicaState.name().substring("REPLICA_".length()).toLowerCase(Locale.ROOT))
					.register(registry);
			}
			Gauge.builder("llmserve.controller.synced", sync, (state) -> state.isSynced() ? 1 : 0)
				.description("1 once the startup grace is over")
				.register(registry);
		};
	}

}
