package dev.llmserve.worker.gpus;

import java.time.Duration;

import dev.llmserve.worker.WorkerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Finds the node's GPUs once, at startup. */
@Configuration(proxyBeanMethods = false)
class GpusConfiguration {

	private static final Logger log = LoggerFactory.getLogger(GpusConfiguration.class);

	@Bean
	GpuInventory gpuInventory(WorkerProperties properties) {
		GpuInventory inventory = new GpuDiscovery(new NvidiaSmi("nvidia-smi", Duration.ofSeconds(15)))
			.discover(properties.gpuIds(), properties.gpus());
		log.info("GPUs {} ({})", inventory.ids(), inventory.source());
		return inventory;
	}

}
