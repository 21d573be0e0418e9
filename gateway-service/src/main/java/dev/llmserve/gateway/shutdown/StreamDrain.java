package dev.llmserve.gateway.shutdown;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;

/**
 * The gateway's side of graceful shutdown. It stops with the web server's graceful
 * shutdown (which closes the listening socket and waits for the requests in flight): from
 * then on new requests on open connections are refused, and once the grace is over it
 * signals the responses still open to end, so that the server's wait ends with every
 * stream closed properly rather than cut.
 */
public final class StreamDrain implements SmartLifecycle {

	/**
	 * Reactor context key of a {@code Mono<Boolean>} that emits when the shutdown grace
	 * is over; responses that read it end themselves then.
	 */
	public static final String GRACE_ENDED = StreamDrain.class.getName() + ".graceEnded";

	private static final Logger logger = LoggerFactory.getLogger(StreamDrain.class);

	private final Duration grace;

	private final Sinks.One<Boolean> graceEnded = Sinks.one();

	private volatile boolean draining;

	private volatile boolean running;

	private volatile Disposable timer;

	StreamDrain(Duration grace) {
		this.grace = grace;
	}

	/** Whether shutdown has begun: new requests are refused. */
	public boolean isDraining() {
		return this.draining;
	}

	/** Emits once, when the grace is over. */
	public Mono<Boolean> graceEnded() {
		return this.graceEnded.asMono();
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		stop(() -> {
		});
	}

	/**
	 * Does not hold up the phase itself: the web server's graceful shutdown, in the same
	 * phase, waits for the requests this bean ends.
	 */
	@Override
	public void stop(Runnable callback) {
		this.draining = true;
		this.running = false;
		logger.info("Shutting down: refusing new requests, {} for the ones in flight", this.grace);
		this.timer = Mono.delay(this.grace).subscribe((tick) -> endGrace());
		callback.run();
	}

	void endGrace() {
		logger.info("Shutdown grace of {} over: ending the responses still open", this.grace);
		this.graceEnded.tryEmitValue(Boolean.TRUE);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE;
	}

	/** Cancels a pending grace timer (context closed some other way). */
	void close() {
		Disposable pending = this.timer;
		if (pending != null) {
			pending.dispose();
		}
	}

}
