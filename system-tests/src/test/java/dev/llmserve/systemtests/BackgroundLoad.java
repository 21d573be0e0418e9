package dev.llmserve.systemtests;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients that stream completions through the gateway back to back until stopped, and
 * count how each stream ended. A stream succeeded when it ended with {@code [DONE]} after
 * its last chunk carried a finish reason and no event was an error.
 */
final class BackgroundLoad implements AutoCloseable {

	private final ExecutorService clients;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final AtomicInteger succeeded = new AtomicInteger();

	private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

	private BackgroundLoad(int clients) {
		this.clients = Executors.newFixedThreadPool(clients);
	}

	static BackgroundLoad start(int gatewayPort, String deployment, int clients, int maxTokens) {
		BackgroundLoad load = new BackgroundLoad(clients);
		String body = """
				{"model":"%s","prompt":"Keep going","max_tokens":%d,"ignore_eos":true,"stream":true}"""
			.formatted(deployment, maxTokens);
		for (int i = 0; i < clients; i++) {
			load.clients.submit(() -> load.loop(gatewayPort, body));
		}
		return load;
	}

	private void loop(int port, String body) {
		while (this.running.get()) {
			String failure = Streams.failureOf(port, "/v1/completions", body);
			if (failure == null) {
				this.succeeded.incrementAndGet();
			}
			else {
				this.failures.add(failure);
			}
		}
	}

	int succeeded() {
		return this.succeeded.get();
	}

	List<String> failures() {
		return List.copyOf(this.failures);
	}

	/** Stops starting new streams and waits for the running ones to end. */
	@Override
	public void close() throws InterruptedException {
		this.running.set(false);
		this.clients.shutdown();
		if (!this.clients.awaitTermination(60, TimeUnit.SECONDS)) {
			this.clients.shutdownNow();
		}
	}

}
