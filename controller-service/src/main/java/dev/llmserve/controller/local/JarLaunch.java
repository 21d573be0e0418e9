package dev.llmserve.controller.local;

import java.nio.file.Path;
import java.util.List;

import reactor.core.publisher.Mono;

/**
 * How a service's jar is run: the JVM arguments from {@code -jar} on, and what must
 * happen first.
 */
interface JarLaunch {

	/**
	 * The arguments that pick what the JVM runs, e.g.
	 * {@code -jar /x/gateway-service.jar}.
	 */
	List<String> javaArguments();

	/** Work to do before the first start; completes when it is done or given up. */
	default Mono<Void> prepare() {
		return Mono.empty();
	}

	/** Cleans up what earlier builds of the jar left, once nothing runs from them. */
	default Mono<Void> discardOthers() {
		return Mono.empty();
	}

	/** The jar as it is. */
	static JarLaunch plain(Path jar) {
		return () -> List.of("-jar", jar.toString());
	}

}
