package dev.llmserve.worker.replicas;

import java.util.HashSet;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Hands out free loopback ports, never one that a replica of this worker already holds: a
 * replica that is still starting has not bound its ports yet, so the OS would happily
 * offer them again.
 */
final class PortAllocator {

	private static final int MAX_ATTEMPTS = 100;

	private final IntSupplier freePorts;

	private final Set<Integer> reserved = new HashSet<>();

	PortAllocator(IntSupplier freePorts) {
		this.freePorts = freePorts;
	}

	synchronized LaunchPorts reserve() {
		return new LaunchPorts(next(), next());
	}

	synchronized void release(LaunchPorts ports) {
		this.reserved.remove(ports.grpc());
		this.reserved.remove(ports.http());
	}

	synchronized Set<Integer> reserved() {
		return Set.copyOf(this.reserved);
	}

	private int next() {
		for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
			int port = this.freePorts.getAsInt();
			if (this.reserved.add(port)) {
				return port;
			}
		}
		throw new IllegalStateException("No free loopback port after %d attempts (%d held by replicas)"
			.formatted(MAX_ATTEMPTS, this.reserved.size()));
	}

}
