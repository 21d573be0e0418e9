package dev.llmserve.controller.local;

import java.nio.file.Path;
import java.time.Clock;

import dev.llmserve.controller.ControllerProperties;
import dev.llmserve.controller.local.supervision.HttpHealthProbe;
import dev.llmserve.controller.local.supervision.ProcessRecordFile;
import dev.llmserve.controller.local.supervision.ProcessSupervisor;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Local mode: the gateway and the worker agents as supervised child processes of the
 * controller, recorded under {@code <data-dir>/local} so that the next controller adopts
 * them. Off with {@code llmserve.controller.local.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "llmserve.controller.local", name = "enabled", havingValue = "true",
		matchIfMissing = true)
@EnableConfigurationProperties({ LocalProperties.class, ControllerProperties.class })
class LocalModeConfiguration {

	@Bean
	ControllerAddress localControllerAddress(ControllerProperties controller, Environment environment) {
		return new ControllerAddress(controller.advertiseHost(), environment);
	}

	/**
	 * Fails startup when the jar is missing, rather than at the first start of the
	 * gateway.
	 */
	@Bean
	JarLaunch localGatewayJar(LocalProperties local, ControllerProperties controller) {
		Path jar = ChildJars.resolve(local.gateway().jar(), "gateway-service", "llmserve.controller.local.gateway.jar",
				ChildJars.controllerLocation());
		if (!local.gateway().fastStart()) {
			return JarLaunch.plain(jar);
		}
		return new FastStartCache(jar, controller.dataDir().resolve("cache"), local.java(),
				local.gateway().jvmOptions(), controller.dataDir().resolve("logs"));
	}

	@Bean
	ChildDefinitions localChildDefinitions(LocalProperties local, ControllerProperties controller,
			ControllerAddress address, JarLaunch localGatewayJar) {
		Path workerJar = ChildJars.resolve(local.workers().jar(), "worker-agent",
				"llmserve.controller.local.workers.jar", ChildJars.controllerLocation());
		return new ChildDefinitions(local, controller.dataDir(), local.java(), localGatewayJar,
				JarLaunch.plain(workerJar), address::grpcTarget);
	}

	@Bean(destroyMethod = "close")
	ProcessSupervisor localProcessSupervisor(LocalProperties local, ControllerProperties controller,
			ObjectProvider<Clock> clock) {
		ProcessRecordFile records = new ProcessRecordFile(
				controller.dataDir().resolve("local").resolve("processes.json"));
		return new ProcessSupervisor(records, new HttpHealthProbe(local.health()), local.health(), local.restart(),
				local.stopGrace(), clock.getIfAvailable(Clock::systemUTC),
				Schedulers.newSingle("local-supervisor", true));
	}

	@Bean
	GatewaySupervisor localGatewaySupervisor(ProcessSupervisor supervisor, ChildDefinitions children,
			ControllerProperties controller, JarLaunch localGatewayJar) {
		return new GatewaySupervisor(supervisor, children.gateway(), controller.advertiseHost(), localGatewayJar);
	}

	@Bean
	LocalNodeProvisioner localNodeProvisioner(ProcessSupervisor supervisor, ChildDefinitions children,
			ControllerProperties controller) {
		return new LocalNodeProvisioner(supervisor, children::worker, controller.advertiseHost());
	}

	@Bean
	LocalModeLifecycle localModeLifecycle(ProcessSupervisor supervisor, GatewaySupervisor gateway,
			LocalNodeProvisioner nodes, LocalProperties local, ApplicationContext context) {
		return new LocalModeLifecycle(supervisor, gateway, nodes, local.workers().count(), context);
	}

	@Bean
	LocalScrapeTargets localScrapeTargets(ProcessSupervisor supervisor, ControllerProperties controller) {
		return new LocalScrapeTargets(supervisor, controller.advertiseHost());
	}

	@Bean
	@ConditionalOnEnabledHealthIndicator("localprocesses")
	LocalProcessesHealthIndicator localProcessesHealthIndicator(ProcessSupervisor supervisor) {
		return new LocalProcessesHealthIndicator(supervisor);
	}

}
