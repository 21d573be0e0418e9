package dev.llmserve.worker.registration;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.llmserve.proto.HeartbeatResponse;
import dev.llmserve.proto.RegisterWorkerRequest;
import dev.llmserve.proto.RegisterWorkerResponse;
import dev.llmserve.proto.ReplicaStatus;
import dev.llmserve.proto.WorkerHeartbeat;
import dev.llmserve.worker.WorkerProperties;
import dev.llmserve.worker.replicas.ReplicaRegistry;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * Registers with the controller once the WorkerAgent server listens (retrying with capped
 * exponential backoff and jitter while the controller is unreachable), then heartbeats
 * the full status of every replica. A heartbeat that fails or is answered with
 * {@code register_again} starts over with registration. Replicas keep running whatever
 * the controller does.
 */
final class RegistrationLoop implements SmartLifecycle, ApplicationListener<GrpcServerStartedEvent> {

	/** Stopped after the replicas, so that the last heartbeats report them stopping. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Logger log = LoggerFactory.getLogger(RegistrationLoop.class);

	private static final Duration MIN_HEARTBEAT_INTERVAL = Duration.ofMillis(100);

	private static final int LOG_EVERY_FAILURES = 30;

	private final WorkerProperties properties;

	private final ReplicaRegistry registry;

	private final ControllerClient controller;

	private final RegistrationState state;

	private final Clock clock;

	private final Scheduler timer;

	private volatile boolean running;

	private volatile String address;

	private volatile Disposable loop;

	RegistrationLoop(WorkerProperties properties, ReplicaRegistry registry, ControllerClient controller,
			RegistrationState state, Clock clock, Scheduler timer) {
		this.properties = properties;
		this.registry = registry;
		this.controller = controller;
		this.state = state;
		this.clock = clock;
		this.timer = timer;
	}

	@Override
	public synchronized void onApplicationEvent(GrpcServerStartedEvent event) {
		this.address = this.properties.advertiseHost() + ":" + event.getPort();
		this.state.advertising(this.address);
		begin();
	}

	/** Starts registering once both the server listens and this loop is started. */
	private void begin() {
		String address = this.address;
		if (!this.running || address == null || this.loop != null) {
			return;
		}
		this.loop = Mono.defer(() -> register(address)).flatMap(this::heartbeatUntilLost).onErrorResume((ex) -> {
			log.error("Registration loop failed; starting over", ex);
			return Mono.delay(this.properties.registration().maxBackoff(), this.timer).then();
		}).repeat().subscribe();
	}

	@Override
	public synchronized void start() {
		this.running = true;
		begin();
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		if (this.loop != null) {
			this.loop.dispose();
			this.loop = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/** Registers, retrying until the controller answers; emits the heartbeat interval. */
	private Mono<Duration> register(String address) {
		WorkerProperties.Registration settings = this.properties.registration();
		return Mono.defer(() -> {
			List<ReplicaStatus> replicas = this.registry.statuses();
			return this.controller.register(registerRequest(address, replicas))
				.doOnNext((response) -> this.registry.reported(replicas));
		})
			.doOnError((ex) -> onFailure("Registering", ex))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, settings.initialBackoff())
				.maxBackoff(settings.maxBackoff())
				.jitter(0.5)
				.scheduler(this.timer))
			.doOnNext((response) -> onRegistered(address, response))
			.map(this::heartbeatInterval);
	}

	/** Heartbeats until one fails or the controller asks to register again. */
	private Mono<Void> heartbeatUntilLost(Duration interval) {
		return Flux.interval(interval, interval, this.timer)
			.onBackpressureDrop()
			.concatMap((tick) -> heartbeat(), 1)
			.takeUntil((acknowledged) -> !acknowledged)
			.then();
	}

	/** One heartbeat: whether the controller acknowledged it. */
	private Mono<Boolean> heartbeat() {
		List<ReplicaStatus> replicas = this.registry.statuses();
		WorkerHeartbeat heartbeat = WorkerHeartbeat.newBuilder()
			.setWorkerId(this.properties.id())
			.addAllReplicas(replicas)
			.build();
		return this.controller.heartbeat(heartbeat)
			.map((response) -> acknowledged(response, replicas))
			.onErrorResume((ex) -> {
				onFailure("Heartbeat", ex);
				return Mono.just(false);
			});
	}

	private boolean acknowledged(HeartbeatResponse response, List<ReplicaStatus> replicas) {
		if (response.getRegisterAgain()) {
			log.info("The controller asks worker {} to register again", this.properties.id());
			return false;
		}
		this.registry.reported(replicas);
		this.state.contact(this.clock.instant());
		return true;
	}

	private RegisterWorkerRequest registerRequest(String address, List<ReplicaStatus> replicas) {
		return RegisterWorkerRequest.newBuilder()
			.setWorkerId(this.properties.id())
			.setAddress(address)
			.addAllGpuIds(this.registry.gpuIds())
			.addAllReplicas(replicas)
			.build();
	}

	private void onRegistered(String address, RegisterWorkerResponse response) {
		this.state.registered(response.getControllerId(), this.clock.instant());
		log.info("Worker {} registered at {} with controller {} ({}) with GPUs {}", this.properties.id(), address,
				response.getControllerId(), this.properties.controller(), this.registry.gpuIds());
	}

	private void onFailure(String call, Throwable error) {
		int failures = this.state.failed();
		if (failures == 1 || failures % LOG_EVERY_FAILURES == 0) {
			log.warn("{} with the controller at {} failed ({} in a row): {}; retrying with backoff", call,
					this.properties.controller(), failures, describe(error));
		}
	}

	private static String describe(Throwable error) {
		Status status = Status.fromThrowable(error);
		String description = (status.getDescription() != null) ? status.getDescription() : "";
		Throwable cause = (status.getCause() != null) ? status.getCause() : error;
		return "%s %s (%s)".formatted(status.getCode(), description, cause.getMessage()).trim();
	}

	private Duration heartbeatInterval(RegisterWorkerResponse response) {
		long millis = response.getHeartbeatIntervalMillis();
		if (millis <= 0) {
			return this.properties.heartbeatInterval();
		}
		Duration asked = Duration.ofMillis(millis);
		return (asked.compareTo(MIN_HEARTBEAT_INTERVAL) < 0) ? MIN_HEARTBEAT_INTERVAL : asked;
	}

}
