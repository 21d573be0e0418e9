package dev.llmserve.gateway.snapshots;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Meters of the controller watch, none tagged by anything with more than two values:
 * {@code llmserve.gateway.controller.connected} (1 while snapshots stream in, 0 while the
 * gateway routes on its last one or has none),
 * {@code llmserve.gateway.controller.disconnects} (streams lost after they delivered),
 * {@code llmserve.gateway.routing.snapshot.version} (of the table in use; NaN before the
 * first) and {@code llmserve.gateway.routing.snapshots} (received, by outcome: applied,
 * or ignored as stale or repeated).
 */
final class WatchMetrics {

	private final AtomicInteger connected = new AtomicInteger();

	private final AtomicLong version = new AtomicLong();

	private volatile boolean hasVersion;

	private final Counter applied;

	private final Counter ignored;

	private final Counter disconnects;

	WatchMetrics(MeterRegistry registry) {
		Gauge.builder("llmserve.gateway.controller.connected", this.connected, AtomicInteger::get)
			.description("1 while the controller's routing snapshots stream in, 0 otherwise")
			.register(registry);
		Gauge.builder("llmserve.gateway.routing.snapshot.version", this, WatchMetrics::version)
			.description("Version of the routing snapshot the gateway routes on")
			.strongReference(true)
			.register(registry);
		this.applied = snapshots(registry, "applied");
		this.ignored = snapshots(registry, "ignored");
		this.disconnects = Counter.builder("llmserve.gateway.controller.disconnects")
			.description("Snapshot streams from the controller lost after they had delivered")
			.register(registry);
	}

	void connected() {
		this.connected.set(1);
	}

	void disconnected(boolean wasStreaming) {
		this.connected.set(0);
		if (wasStreaming) {
			this.disconnects.increment();
		}
	}

	void applied(long version) {
		this.version.set(version);
		this.hasVersion = true;
		this.applied.increment();
	}

	void ignored() {
		this.ignored.increment();
	}

	private double version() {
		return this.hasVersion ? this.version.get() : Double.NaN;
	}

	private static Counter snapshots(MeterRegistry registry, String outcome) {
		return Counter.builder("llmserve.gateway.routing.snapshots")
			.description("Routing snapshots received from the controller, by outcome")
			.tag("outcome", outcome)
			.register(registry);
	}

}
