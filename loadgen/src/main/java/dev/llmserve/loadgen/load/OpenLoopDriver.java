package dev.llmserve.loadgen.load;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.llmserve.loadgen.metrics.ResultAggregator;
import reactor.core.Disposable;

/**
 * Sends requests at arrival times drawn from an {@link ArrivalProcess}, on a dedicated
 * thread (never an event loop). With a concurrency limit, an arrival that finds no free
 * slot waits in the client, as in {@code vllm bench serve}, and its wait is reported as
 * queue time; its TTFT starts when it is actually sent. Waiting arrivals are bounded.
 */
final class OpenLoopDriver implements LoadDriver {

	static final int MAX_WAITING = 1_000_000;

	private final ArrivalProcess arrivals;

	private final RequestIssuer issuer;

	private final ResultAggregator aggregator;

	private final boolean limited;

	private final Semaphore slots;

	private final Queue<Long> waiting = new ConcurrentLinkedQueue<>();

	private final AtomicInteger waitingCount = new AtomicInteger();

	private volatile boolean running = true;

	OpenLoopDriver(LoadShape.OpenLoop shape, ArrivalProcess arrivals, RequestIssuer issuer,
			ResultAggregator aggregator) {
		this.arrivals = arrivals;
		this.issuer = issuer;
		this.aggregator = aggregator;
		this.limited = shape.maxConcurrency() != Integer.MAX_VALUE;
		this.slots = new Semaphore(shape.maxConcurrency());
	}

	@Override
	public Disposable start() {
		Thread thread = new Thread(this::arrive, "loadgen-arrivals");
		thread.setDaemon(true);
		thread.start();
		return () -> {
			this.running = false;
			thread.interrupt();
		};
	}

	private void arrive() {
		long next = System.nanoTime();
		try {
			while (this.running && this.issuer.accepting()) {
				next += this.arrivals.nextGapNanos();
				if (this.arrivals.isUnlimited()) {
					this.slots.acquire();
					send(System.nanoTime(), false);
					continue;
				}
				parkUntil(next);
				if (this.waitingCount.get() < MAX_WAITING) {
					this.waitingCount.incrementAndGet();
					this.waiting.add(next);
				}
				drain();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void drain() {
		if (!this.issuer.accepting()) {
			this.waiting.clear();
			return;
		}
		while (!this.waiting.isEmpty() && this.slots.tryAcquire()) {
			Long arrival = this.waiting.poll();
			if (arrival == null) {
				this.slots.release();
				return;
			}
			this.waitingCount.decrementAndGet();
			send(arrival, this.limited);
		}
	}

	private void send(long arrival, boolean recordQueue) {
		if (recordQueue) {
			this.aggregator.recordQueueTime(System.nanoTime() - arrival);
		}
		this.issuer.issue().doFinally((signal) -> {
			this.slots.release();
			if (this.running) {
				drain();
			}
		}).subscribe();
	}

	private void parkUntil(long deadline) throws InterruptedException {
		long wait;
		while ((wait = deadline - System.nanoTime()) > 0) {
			LockSupport.parkNanos(wait);
			if (Thread.interrupted()) {
				throw new InterruptedException();
			}
		}
	}

}
