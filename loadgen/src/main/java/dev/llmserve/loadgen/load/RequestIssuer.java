package dev.llmserve.loadgen.load;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.llmserve.loadgen.client.Outcome;
import dev.llmserve.loadgen.client.RequestResult;
import dev.llmserve.loadgen.client.StreamingClient;
import dev.llmserve.loadgen.client.TargetSelector;
import dev.llmserve.loadgen.metrics.LiveStats;
import dev.llmserve.loadgen.metrics.ResultAggregator;
import dev.llmserve.loadgen.workload.PreparedRequest;
import dev.llmserve.loadgen.workload.RequestFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Sends one request of the workload to the least busy target and accounts for it in the
 * aggregate and the live stats, however it ends: result, failure, or cancellation when
 * the run is aborted.
 */
final class RequestIssuer {

	private final StreamingClient client;

	private final RequestFactory requests;

	private final TargetSelector targets;

	private final boolean eventStream;

	private final ResultAggregator aggregator;

	private final LiveStats live;

	private final long maxRequests;

	private final AtomicLong issued = new AtomicLong();

	private final Sinks.One<Boolean> abort = Sinks.one();

	private volatile boolean stopped;

	private volatile long measuredFrom = Long.MIN_VALUE;

	RequestIssuer(StreamingClient client, RequestFactory requests, TargetSelector targets, boolean eventStream,
			ResultAggregator aggregator, LiveStats live, long maxRequests) {
		this.client = client;
		this.requests = requests;
		this.targets = targets;
		this.eventStream = eventStream;
		this.aggregator = aggregator;
		this.live = live;
		this.maxRequests = maxRequests;
	}

	/**
	 * Requests sent before this {@link System#nanoTime()} are left out of the statistics.
	 */
	void measureFrom(long nanos) {
		this.measuredFrom = nanos;
	}

	/** Whether new requests may still be sent. */
	boolean accepting() {
		return !this.stopped && this.issued.get() < this.maxRequests;
	}

	/** Stops sending new requests; those in flight go on. */
	void stop() {
		this.stopped = true;
	}

	/** Cancels every request still in flight. */
	void abort() {
		this.stopped = true;
		this.abort.tryEmitValue(Boolean.TRUE);
	}

	/** One request; empty if the run no longer accepts requests. */
	Mono<RequestResult> issue() {
		return Mono.defer(() -> {
			if (this.stopped || this.issued.incrementAndGet() > this.maxRequests) {
				return Mono.empty();
			}
			PreparedRequest request = this.requests.next();
			int target = this.targets.acquire();
			this.live.requestStarted();
			long start = System.nanoTime();
			AtomicBoolean ended = new AtomicBoolean();
			return this.client.send(target, request, this.eventStream, this.live)
				.doOnNext((result) -> end(ended, result))
				.doOnCancel(() -> end(ended, cancelled(start, request, target)))
				.doFinally((signal) -> this.targets.release(target))
				.takeUntilOther(this.abort.asMono());
		});
	}

	private void end(AtomicBoolean ended, RequestResult result) {
		if (ended.compareAndSet(false, true)) {
			if (result.startNanos() - this.measuredFrom >= 0) {
				this.aggregator.record(result);
			}
			this.live.requestEnded(result);
		}
	}

	private static RequestResult cancelled(long start, PreparedRequest request, int target) {
		return new RequestResult(Outcome.CANCELLED, 0, null, start, new long[0], 0, request.inputTokens(), target);
	}

}
