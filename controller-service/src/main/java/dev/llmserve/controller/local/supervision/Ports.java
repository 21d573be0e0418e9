package dev.llmserve.controller.local.supervision;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Whether a port can be listened on, as a child about to start will. */
final class Ports {

	private static final Duration POLL = Duration.ofMillis(100);

	private Ports() {
	}

	/** Emits whether all {@code ports} became free within {@code timeout}. */
	static Mono<Boolean> awaitFree(Collection<Integer> ports, Duration timeout) {
		List<Integer> wanted = List.copyOf(ports);
		return Flux.interval(Duration.ZERO, POLL, Schedulers.boundedElastic())
			.onBackpressureDrop()
			.filter((tick) -> wanted.stream().allMatch(Ports::isFree))
			.next()
			.map((tick) -> true)
			.timeout(timeout, Mono.just(false));
	}

	/**
	 * Binds the wildcard address, as the children do: fails while anyone listens on the
	 * port.
	 */
	static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(port));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
