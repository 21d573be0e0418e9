package dev.llmserve.controller.local.supervision;

import reactor.core.publisher.Mono;

/** Asks a child on this machine whether it is alive. */
@FunctionalInterface
public interface HealthProbe {

	/**
	 * Emits whether the child listening on {@code port} answered in time; never fails,
	 * never completes empty.
	 */
	Mono<Boolean> check(int port);

}
