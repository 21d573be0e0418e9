package dev.llmserve.controller.discovery;

import java.util.ArrayList;
import java.util.List;

import dev.llmserve.controller.ControllerProperties;
import dev.llmserve.controller.cluster.ClusterState;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Prometheus service discovery file: the cluster's replicas plus every other
 * {@link ScrapeTargetSource} bean (local mode's gateway and workers). Off with
 * {@code llmserve.controller.discovery.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "llmserve.controller.discovery", name = "enabled", havingValue = "true",
		matchIfMissing = true)
class DiscoveryConfiguration {

	@Bean(destroyMethod = "close")
	ScrapeTargetsWriter scrapeTargetsWriter(DiscoveryProperties discovery, ControllerProperties controller,
			ClusterState cluster, ObjectProvider<ScrapeTargetSource> others) {
		List<ScrapeTargetSource> sources = new ArrayList<>();
		sources.add(new ReplicaScrapeTargets(cluster));
		others.orderedStream().forEach(sources::add);
		return new ScrapeTargetsWriter(new ScrapeTargetsFile(discovery.fileIn(controller.dataDir())), sources,
				cluster.changes(), discovery.refreshInterval(), Schedulers.boundedElastic());
	}

}
