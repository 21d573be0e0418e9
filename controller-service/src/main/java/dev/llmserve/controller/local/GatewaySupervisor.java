package dev.llmserve.controller.local;

import java.util.Optional;

import dev.llmserve.controller.local.supervision.ChildDefinition;
import dev.llmserve.controller.local.supervision.ChildStatus;
import dev.llmserve.controller.local.supervision.ProcessSupervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Runs the gateway: adopts the one an earlier controller left running, or starts it, then
 * keeps it running (restarted when it exits or stops answering its liveness probe).
 */
final class GatewaySupervisor {

	private static final Logger log = LoggerFactory.getLogger(GatewaySupervisor.class);

	private final ProcessSupervisor supervisor;

	private final ChildDefinition definition;

	private final String advertiseHost;

	private final JarLaunch jar;

	/**
	 * @param jar how the gateway's jar runs; prepared before the gateway is adopted or
	 * started, as the command to compare or run depends on it
	 */
	GatewaySupervisor(ProcessSupervisor supervisor, ChildDefinition definition, String advertiseHost, JarLaunch jar) {
		this.supervisor = supervisor;
		this.definition = definition;
		this.advertiseHost = advertiseHost;
		this.jar = jar;
	}

	String id() {
		return this.definition.id();
	}

	/** Emits the gateway's status once it is adopted or started. */
	Mono<ChildStatus> start() {
		return this.jar.prepare()
			.then(this.supervisor.run(this.definition))
			.flatMap((status) -> this.jar.discardOthers().thenReturn(status))
			.doOnNext((status) -> log.info("Gateway on http://{}:{} (logs: {})", this.advertiseHost,
					status.ports().get(ChildDefinition.HTTP_PORT), this.definition.logFile()));
	}

	Optional<ChildStatus> status() {
		return this.supervisor.status(this.definition.id());
	}

}
