package dev.llmserve.controller.local;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import dev.llmserve.controller.local.supervision.ProcessSupervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;

/**
 * When local mode's children start and stop.
 *
 * <p>
 * They start once the controller is ready, so that its gRPC port is known and workers
 * that register find it serving. They stop when the controller stops (Ctrl-C, SIGTERM),
 * adopted ones too, as whole process trees. Stopping begins as soon as the context starts
 * closing, before any server stops: a gateway still watching {@code Routing.Watch} would
 * otherwise hold the gRPC server in its graceful shutdown, and workers can still reach
 * the controller while they stop their replicas. This lifecycle shares the gRPC server's
 * phase, so the context waits for the children to be gone before it moves on to the web
 * server and before the supervisor is closed.
 */
final class LocalModeLifecycle implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(LocalModeLifecycle.class);

	private final ProcessSupervisor supervisor;

	private final GatewaySupervisor gateway;

	private final LocalNodeProvisioner nodes;

	private final int workers;

	private final ApplicationContext context;

	private final AtomicReference<Mono<Void>> stopping = new AtomicReference<>();

	private volatile boolean running;

	LocalModeLifecycle(ProcessSupervisor supervisor, GatewaySupervisor gateway, LocalNodeProvisioner nodes, int workers,
			ApplicationContext context) {
		this.supervisor = supervisor;
		this.gateway = gateway;
		this.nodes = nodes;
		this.workers = workers;
		this.context = context;
	}

	@EventListener
	void onReady(ApplicationReadyEvent event) {
		if (event.getApplicationContext() != this.context || this.stopping.get() != null) {
			return;
		}
		this.nodes.ensureNodes(this.workers);
		Set<String> wanted = new HashSet<>(this.nodes.plannedIds());
		wanted.add(this.gateway.id());
		log.info("Local mode: running the gateway and {} worker(s)", this.workers);
		this.supervisor.discardOthers(wanted)
			.then(Mono.when(this.gateway.start(), this.nodes.activate()))
			.subscribe(null, (ex) -> log.error("Local mode could not start its processes", ex));
	}

	@EventListener
	void onClosing(ContextClosedEvent event) {
		if (event.getApplicationContext() == this.context) {
			stopping().subscribe();
		}
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop(Runnable callback) {
		stopping().doFinally((signal) -> {
			this.running = false;
			callback.run();
		}).subscribe(null, (ex) -> log.error("Stopping local processes failed", ex));
	}

	@Override
	public void stop() {
		stop(() -> {
		});
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** The gRPC server's phase: see the class comment. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

	/** One stop for everyone who asks, started by the first. */
	private Mono<Void> stopping() {
		return this.stopping.updateAndGet((existing) -> (existing != null) ? existing : Mono.defer(() -> {
			log.info("Stopping the gateway and the workers");
			return this.supervisor.stopAll();
		}).cache());
	}

}
