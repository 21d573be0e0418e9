package dev.llmserve.replica.engine;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import dev.llmserve.process.ManagedProcess;
import dev.llmserve.process.ProcessSpec;
import dev.llmserve.replica.ReplicaProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.SmartLifecycle;

/**
 * Launches the engine when the replica starts, waits for its {@code /health}, and stops
 * its whole process tree when the replica stops. An engine that dies, or never becomes
 * healthy, ends the replica (see {@link ReplicaTerminator}).
 */
final class EngineSupervisor implements SmartLifecycle {

	/** Started before, and stopped after, the gRPC server and the load scraper. */
	static final int PHASE = 0;

	private static final Logger log = LoggerFactory.getLogger(EngineSupervisor.class);

	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * How long the engine's leftover children get to exit after the engine itself died.
	 */
	private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(1);

	private final ReplicaProperties.Engine config;

	private final EngineEndpoint endpoint;

	private final EngineCommandLine commandLine;

	private final SimulatorScripts scripts;

	private final EngineControlClient control;

	private final EngineState state;

	private final ReplicaTerminator terminator;

	private final Disposable.Composite tasks = Disposables.composite();

	private ManagedProcess process;

	private boolean stopping;

	private volatile boolean running;

	EngineSupervisor(ReplicaProperties properties, EngineEndpoint endpoint, SimulatorScripts scripts,
			EngineControlClient control, EngineState state, ReplicaTerminator terminator) {
		this.config = properties.engine();
		this.endpoint = endpoint;
		this.commandLine = new EngineCommandLine(properties);
		this.scripts = scripts;
		this.control = control;
		this.state = state;
		this.terminator = terminator;
	}

	@Override
	public void start() {
		this.running = true;
		this.tasks.add(Mono.fromCallable(this::launch)
			.subscribeOn(Schedulers.boundedElastic())
			.flatMap(this::awaitHealthy)
			.subscribe((engine) -> onHealthy(engine), this::onStartupFailure));
	}

	@Override
	public void stop() {
		ManagedProcess engine;
		synchronized (this) {
			this.stopping = true;
			engine = this.process;
		}
		this.tasks.dispose();
		if (engine != null) {
			// Even when the engine is gone, its process group may still hold its
			// children.
			log.info("Stopping the engine (pid {})", engine.pid());
			engine.stop(this.config.stopGrace());
		}
		this.state.stopped();
		this.scripts.cleanUp();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private ManagedProcess launch() throws IOException {
		ProcessSpec spec = spec();
		synchronized (this) {
			if (this.stopping) {
				throw new IllegalStateException("The replica is stopping");
			}
			ManagedProcess engine = ManagedProcess.start(spec);
			this.process = engine;
			this.state.launched(engine.pid());
			engine.onExit().thenAccept((code) -> onExit(engine, code));
			return engine;
		}
	}

	private ProcessSpec spec() throws IOException {
		return switch (this.config.kind()) {
			case SIM -> this.commandLine.simulator(this.scripts.entryPoint(this.config.simulatorPath()), this.endpoint,
					ProcessHandle.current().pid());
			case VLLM -> this.commandLine.vllm(this.endpoint);
		};
	}

	private Mono<ManagedProcess> awaitHealthy(ManagedProcess engine) {
		Duration interval = this.config.healthInterval();
		return Mono.defer(() -> this.control.isHealthy(PROBE_TIMEOUT))
			.filter(Boolean::booleanValue)
			.repeatWhenEmpty((attempts) -> attempts.delayElements(interval))
			.timeout(this.config.startupTimeout())
			.thenReturn(engine);
	}

	private void onHealthy(ManagedProcess engine) {
		log.info("Engine ready at {} (pid {})", this.endpoint.baseUrl(), engine.pid());
		this.state.ready();
	}

	private void onStartupFailure(Throwable error) {
		synchronized (this) {
			if (this.stopping) {
				return;
			}
		}
		ManagedProcess engine = this.process;
		if (error instanceof TimeoutException) {
			log.error("Engine did not answer {}/health within {}; giving up. Its last output:{}",
					this.endpoint.baseUrl(), this.config.startupTimeout(), lastOutput(engine));
		}
		else {
			log.error("Engine could not be started: {}. Its last output:{}", error.getMessage(), lastOutput(engine),
					error);
		}
		this.terminator.terminate(ReplicaTerminator.ENGINE_START_FAILED);
	}

	private void onExit(ManagedProcess engine, int code) {
		synchronized (this) {
			if (this.stopping) {
				log.info("Engine exited with code {}", code);
				return;
			}
		}
		// vLLM's EngineCore is a child of the engine: the process group still reaches it.
		engine.stop(LEFTOVER_GRACE);
		boolean serving = this.state.isReady();
		this.state.exited(code);
		if (serving) {
			log.error("Engine exited with code {} while serving. Its last output:{}", code, lastOutput(engine));
			this.terminator.terminate(ReplicaTerminator.ENGINE_EXITED);
		}
		else {
			log.error("Engine exited with code {} before it became healthy. Its last output:{}", code,
					lastOutput(engine));
			this.terminator.terminate(ReplicaTerminator.ENGINE_START_FAILED);
		}
	}

	private static String lastOutput(ManagedProcess engine) {
		List<String> lines = (engine != null) ? engine.recentOutput() : List.of();
		return lines.isEmpty() ? " (none)" : "\n    " + String.join("\n    ", lines);
	}

}
