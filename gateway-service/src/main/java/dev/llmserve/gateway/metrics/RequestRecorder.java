package dev.llmserve.gateway.metrics;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import dev.llmserve.proto.GenerateChunk;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One request's measurements, from its acceptance to the end of its generation. The
 * handler names the deployment once it has parsed it and wraps its response in
 * {@link #counted(Mono)} (errors before any generation, a client that leaves while
 * queued); the inference client wraps the generation in {@link #generation(Flux)}. The
 * outcome is counted once, by whichever ending comes first. Per token it costs a clock
 * read, a histogram record and a counter add: the meters are resolved once per request.
 */
public final class RequestRecorder {

	private static final AtomicIntegerFieldUpdater<RequestRecorder> ENDED = AtomicIntegerFieldUpdater
		.newUpdater(RequestRecorder.class, "ended");

	private final GatewayMetrics metrics;

	private DeploymentMeters meters;

	private long acceptedNanos = System.nanoTime();

	private long lastTokenNanos;

	private boolean tokenSeen;

	private volatile int ended;

	RequestRecorder(GatewayMetrics metrics) {
		this.metrics = metrics;
	}

	/**
	 * The deployment the request names; tagged as {@code unknown} unless the gateway
	 * routes to it, so a client cannot mint new series.
	 */
	public RequestRecorder deployment(String deployment) {
		this.meters = this.metrics.metersFor(deployment);
		return this;
	}

	/** The request is read and valid: the latencies start here. */
	public RequestRecorder accepted() {
		this.acceptedNanos = System.nanoTime();
		return this;
	}

	/** Counts the request if the response fails or is cancelled before it starts. */
	public <T> Mono<T> counted(Mono<T> response) {
		return response.doOnError((error) -> end(Outcome.of(error))).doOnCancel(() -> end(Outcome.CANCELLED));
	}

	/** Counts the request if the stream fails or is cancelled before a generation. */
	public <T> Flux<T> counted(Flux<T> response) {
		return response.doOnError((error) -> end(Outcome.of(error))).doOnCancel(() -> end(Outcome.CANCELLED));
	}

	/**
	 * Measures the generation: active while subscribed, its tokens and their timing, and
	 * how it ended.
	 */
	public Flux<GenerateChunk> generation(Flux<GenerateChunk> chunks) {
		return Flux.defer(() -> {
			DeploymentMeters deployment = meters();
			deployment.streamStarted();
			return chunks.doOnNext(this::onChunk)
				.doOnComplete(() -> end(Outcome.OK))
				.doOnError((error) -> end(Outcome.of(error)))
				.doOnCancel(() -> end(Outcome.CANCELLED))
				.doFinally((signal) -> {
					deployment.streamEnded();
					deployment.requestDuration(System.nanoTime() - this.acceptedNanos);
				});
		});
	}

	// Reactor delivers a subscription's signals serially: no synchronization.
	private void onChunk(GenerateChunk chunk) {
		int tokens = chunk.getTokenCount();
		if (tokens > 0) {
			long now = System.nanoTime();
			if (this.tokenSeen) {
				this.meters.interTokenLatency(now - this.lastTokenNanos);
			}
			else {
				this.tokenSeen = true;
				this.meters.timeToFirstToken(now - this.acceptedNanos);
			}
			this.lastTokenNanos = now;
			this.meters.completionTokens(tokens);
		}
		if (chunk.hasUsage()) {
			this.meters.promptTokens(chunk.getUsage().getPromptTokens());
		}
	}

	private DeploymentMeters meters() {
		if (this.meters == null) {
			this.meters = this.metrics.metersFor(DeploymentMeters.UNKNOWN);
		}
		return this.meters;
	}

	private void end(Outcome outcome) {
		if (ENDED.compareAndSet(this, 0, 1)) {
			meters().count(outcome);
		}
	}

}
