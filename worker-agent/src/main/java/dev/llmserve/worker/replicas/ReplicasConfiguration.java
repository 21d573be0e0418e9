package dev.llmserve.worker.replicas;

import java.time.Clock;

import dev.llmserve.process.FreePorts;
import dev.llmserve.worker.WorkerProperties;
import dev.llmserve.worker.gpus.GpuInventory;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.system.ApplicationHome;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The node's replicas: the registry, how they are launched, and the WorkerAgent service.
 */
@Configuration(proxyBeanMethods = false)
class ReplicasConfiguration {

	@Bean
	ReplicaCommandLine replicaCommandLine(WorkerProperties properties) {
		return new ReplicaCommandLine(ReplicaCommandLine.currentJava(), properties.replicaJvmOptions(),
				ReplicaJar.resolve(properties.replicaJar(),
						new ApplicationHome(ReplicasConfiguration.class).getDir().toPath()),
				properties.replicaHttpBindAddress());
	}

	@Bean
	ReplicaRegistry replicaRegistry(WorkerProperties properties, GpuInventory gpus, ReplicaCommandLine commandLine,
			Clock clock) {
		ReplicaProcesses processes = new ReplicaProcesses(new JarReplicaLauncher(commandLine),
				Schedulers.boundedElastic(), properties.stopGrace());
		return new ReplicaRegistry(new GpuAllocator(gpus), new PortAllocator(FreePorts::find), processes,
				properties.advertiseHost(), clock);
	}

	@Bean
	WorkerAgentGrpcService workerAgentGrpcService(WorkerProperties properties, ReplicaRegistry registry) {
		return new WorkerAgentGrpcService(properties.id(), registry, properties.defaultDrainTimeout());
	}

	@Bean
	ReplicaMetrics replicaMetrics(ReplicaRegistry registry) {
		return new ReplicaMetrics(registry);
	}

	@Bean
	ReplicaShutdown replicaShutdown(WorkerProperties properties, ReplicaRegistry registry) {
		return new ReplicaShutdown(registry, properties.stopGrace());
	}

}
