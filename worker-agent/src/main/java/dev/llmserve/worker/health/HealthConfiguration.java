package dev.llmserve.worker.health;

import java.time.Clock;

import dev.llmserve.worker.WorkerProperties;
import dev.llmserve.worker.replicas.ReplicaRegistry;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Health checks of the replicas and restarts of the failed ones. */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration {

	@Bean
	ReplicaChannels replicaChannels() {
		return new ReplicaChannels();
	}

	@Bean
	HealthMonitor healthMonitor(WorkerProperties properties, ReplicaRegistry registry, ReplicaChannels channels,
			Clock clock) {
		WorkerProperties.Health health = properties.health();
		ReplicaProbe probe = new ReplicaProbe(channels, health.timeout(), health.loadTimeout());
		return new HealthMonitor(registry, probe, channels, new HealthDeadlines(health), clock, health.interval(),
				Schedulers.parallel());
	}

	@Bean
	CrashRestarter crashRestarter(WorkerProperties properties, ReplicaRegistry registry, Clock clock) {
		return new CrashRestarter(registry, new RestartPolicy(properties.restart()), clock, Schedulers.parallel());
	}

}
