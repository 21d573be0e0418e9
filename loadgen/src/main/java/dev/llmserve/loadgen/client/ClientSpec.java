package dev.llmserve.loadgen.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * How the load generator connects.
 *
 * @param targets base URLs; with several, each request goes to the one with the fewest
 * requests in flight
 * @param timeout the longest a whole request may take
 * @param idleTimeout the longest silence allowed between two reads of a response
 * @param connectTimeout the longest a TCP connect may take
 * @param maxConnections connections per target (one per concurrent stream with HTTP/1.1)
 * @param ioThreads event-loop threads
 * @param bindAddresses local addresses to spread connections over (more source ports);
 * empty for the default
 */
public record ClientSpec(List<URI> targets, Duration timeout, Duration idleTimeout, Duration connectTimeout,
		int maxConnections, int ioThreads, List<String> bindAddresses) {

	public ClientSpec {
		targets = List.copyOf(targets);
		bindAddresses = List.copyOf(bindAddresses);
		if (targets.isEmpty()) {
			throw new IllegalArgumentException("url: none (expected: --url or --targets)");
		}
		for (URI target : targets) {
			if (!"http".equals(target.getScheme()) || target.getHost() == null) {
				throw new IllegalArgumentException("url: %s (expected: http://host:port)".formatted(target));
			}
		}
		if (maxConnections < 1 || ioThreads < 1) {
			throw new IllegalArgumentException(
					"max-connections: %d, io-threads: %d (expected: >= 1)".formatted(maxConnections, ioThreads));
		}
	}

}
