package dev.llmserve.loadgen.metrics;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.llmserve.loadgen.client.RequestResult;
import dev.llmserve.loadgen.client.StreamListener;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and interval histograms read once a second for the timeline and the progress
 * line. Updated lock-free from every event loop; {@link #sample} is called from one
 * thread.
 */
public final class LiveStats implements StreamListener {

	private final AtomicInteger activeUsers = new AtomicInteger();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger peakInFlight = new AtomicInteger();

	private final LongAdder started = new LongAdder();

	private final LongAdder succeeded = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final LongAdder tokens = new LongAdder();

	private final LongAdder totalFailed = new LongAdder();

	private final Recorder ttft = new Recorder(3);

	private final Recorder e2el = new Recorder(3);

	private Histogram ttftInterval;

	private Histogram e2elInterval;

	@Override
	public void onFirstChunk(long ttftNanos) {
		this.ttft.recordValue(Math.max(0, ttftNanos));
	}

	@Override
	public void onTokens(int count) {
		this.tokens.add(count);
	}

	public void userStarted() {
		this.activeUsers.incrementAndGet();
	}

	public void requestStarted() {
		this.started.increment();
		this.peakInFlight.accumulateAndGet(this.inFlight.incrementAndGet(), Math::max);
	}

	/** A request ended (any outcome, cancellation included). */
	public void requestEnded(RequestResult result) {
		this.inFlight.decrementAndGet();
		if (result.isSuccess()) {
			this.succeeded.increment();
			long[] chunks = result.chunkNanos();
			this.e2el.recordValue(Math.max(0, chunks[chunks.length - 1] - result.startNanos()));
		}
		else if (result.outcome().isFailure()) {
			this.failed.increment();
			this.totalFailed.increment();
		}
	}

	public int inFlight() {
		return this.inFlight.get();
	}

	public int peakInFlight() {
		return this.peakInFlight.get();
	}

	public long totalFailed() {
		return this.totalFailed.sum();
	}

	/** The row of the second that just ended; resets the per-second counters. */
	public TimelineRow sample(int second) {
		this.ttftInterval = this.ttft.getIntervalHistogram(this.ttftInterval);
		this.e2elInterval = this.e2el.getIntervalHistogram(this.e2elInterval);
		return new TimelineRow(second, this.activeUsers.get(), this.inFlight.get(), this.started.sumThenReset(),
				this.succeeded.sumThenReset(), this.failed.sumThenReset(), this.tokens.sumThenReset(),
				ms(this.ttftInterval, 50), ms(this.ttftInterval, 95), ms(this.ttftInterval, 99),
				ms(this.e2elInterval, 50), ms(this.e2elInterval, 95), ms(this.e2elInterval, 99));
	}

	private static double ms(Histogram nanos, double percentile) {
		return (nanos.getTotalCount() == 0) ? Double.NaN : nanos.getValueAtPercentile(percentile) / 1e6;
	}

}
