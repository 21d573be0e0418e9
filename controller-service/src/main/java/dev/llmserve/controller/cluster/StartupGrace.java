package dev.llmserve.controller.cluster;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Marks the cluster synced once the startup grace has passed since the controller became
 * ready (its gRPC server listens, so workers can re-register and report what they run).
 */
final class StartupGrace implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(StartupGrace.class);

	private final ClusterSync sync;

	private final ClusterState cluster;

	private final Duration grace;

	private volatile Disposable timer;

	StartupGrace(ClusterSync sync, ClusterState cluster, Duration grace) {
		this.sync = sync;
		this.cluster = cluster;
		this.grace = grace;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		logger.info("Waiting {} for workers to report before placing, stopping or publishing anything", this.grace);
		this.timer = Mono.delay(this.grace).subscribe((tick) -> end());
	}

	private void end() {
		this.sync.markSynced();
		logger.info("Startup grace over: {} worker(s) report {} replica(s); reconciling and publishing",
				this.cluster.workers().size(), this.cluster.replicas().size());
	}

	@Override
	public void destroy() {
		Disposable current = this.timer;
		if (current != null) {
			current.dispose();
		}
	}

}
