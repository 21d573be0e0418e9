package dev.llmserve.gateway.admission;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.llmserve.gateway.error.ApiError;
import dev.llmserve.gateway.error.ApiErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * The permits of one deployment and the FIFO queue of requests waiting for one. A request
 * is admitted at once while permits are free and nobody waits; otherwise it queues,
 * unless the queue is full. A queued request leaves with a permit when one is released
 * (or capacity grows), with a 503 when its wait times out, or at once when its subscriber
 * cancels (the client went away), freeing its place.
 *
 * <p>
 * All state changes happen under this object's lock; signals to subscribers are sent
 * outside it. Permits granted from the queue are handed over on the scheduler, so that
 * the next request's handling never runs inside the previous one's {@code doFinally}.
 */
final class DeploymentQueue {

	private static final Logger logger = LoggerFactory.getLogger(DeploymentQueue.class);

	/** Under overload, one log line per deployment this often, not one per rejection. */
	private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final String deployment;

	private final Supplier<Capacity> capacity;

	private final Scheduler scheduler;

	private final AdmissionMeters meters;

	private final long retryAfterSeconds;

	/** Guarded by {@code this}; iteration order is arrival order. */
	private final Set<Waiter> waiting = new LinkedHashSet<>();

	/** Guarded by {@code this}. */
	private int inUse;

	private volatile int depth;

	private volatile int permitsInUse;

	private final AtomicLong rejectedSinceLog = new AtomicLong();

	private final AtomicLong lastLogNanos;

	DeploymentQueue(String deployment, Supplier<Capacity> capacity, Scheduler scheduler, AdmissionMeters meters,
			long retryAfterSeconds) {
		this.deployment = deployment;
		this.capacity = capacity;
		this.scheduler = scheduler;
		this.meters = meters;
		this.retryAfterSeconds = retryAfterSeconds;
		this.lastLogNanos = new AtomicLong(nowNanos() - LOG_INTERVAL_NANOS);
		meters.bind(this);
	}

	/**
	 * A permit once the request is admitted, or a 503 {@code ApiException} when it is
	 * not. Cancelling it while queued leaves the queue.
	 */
	Mono<Permit> admit() {
		return Mono.create(this::enter);
	}

	/** Requests waiting right now. */
	int depth() {
		return this.depth;
	}

	/** Permits taken right now. */
	int inUse() {
		return this.permitsInUse;
	}

	/** The capacity as it is now. */
	Capacity capacity() {
		return this.capacity.get();
	}

	/** Hands free permits to queued requests; called when capacity may have grown. */
	void drain() {
		if (this.depth == 0) {
			return;
		}
		Capacity now = this.capacity.get();
		List<Waiter> granted = new ArrayList<>();
		synchronized (this) {
			grantFromHead(now, granted);
		}
		handOver(granted);
	}

	void release() {
		synchronized (this) {
			this.inUse--;
			this.permitsInUse = this.inUse;
		}
		drain();
	}

	private void enter(MonoSink<Permit> sink) {
		Capacity now = this.capacity.get();
		Waiter waiter = new Waiter(sink, nowNanos(), now.maxWait());
		sink.onCancel(() -> abandon(waiter));
		List<Waiter> granted = new ArrayList<>();
		Rejection rejection = null;
		boolean admitted = false;
		synchronized (this) {
			if (waiter.state != WaiterState.WAITING) {
				return;
			}
			grantFromHead(now, granted);
			if (now.permits() == 0) {
				rejection = Rejection.NO_REPLICA;
			}
			else if (this.waiting.isEmpty() && this.inUse < now.permits()) {
				grant(waiter);
				admitted = true;
			}
			else if (this.waiting.size() >= now.queueSize()) {
				rejection = Rejection.QUEUE_FULL;
			}
			else {
				this.waiting.add(waiter);
				this.depth = this.waiting.size();
			}
			if (rejection != null) {
				waiter.state = WaiterState.REJECTED;
			}
		}
		handOver(granted);
		if (admitted) {
			deliver(waiter);
		}
		else if (rejection != null) {
			reject(waiter, rejection, now);
		}
		else {
			scheduleTimeout(waiter);
		}
	}

	/** Guarded by {@code this}. */
	private void grantFromHead(Capacity now, List<Waiter> granted) {
		Iterator<Waiter> queued = this.waiting.iterator();
		while (queued.hasNext() && this.inUse < now.permits()) {
			Waiter waiter = queued.next();
			queued.remove();
			grant(waiter);
			granted.add(waiter);
		}
		this.depth = this.waiting.size();
	}

	/** Guarded by {@code this}. */
	private void grant(Waiter waiter) {
		waiter.state = WaiterState.GRANTED;
		waiter.permit = new Permit(this);
		this.inUse++;
		this.permitsInUse = this.inUse;
	}

	private void handOver(List<Waiter> granted) {
		for (Waiter waiter : granted) {
			waiter.timeout.dispose();
			try {
				this.scheduler.schedule(() -> deliver(waiter));
			}
			catch (RejectedExecutionException ex) {
				// Shutting down: nobody will use it.
				waiter.permit.release();
				waiter.sink.error(ex);
			}
		}
	}

	private void deliver(Waiter waiter) {
		// If the subscriber cancelled since the grant, abandon() has released the permit
		// and the sink drops it.
		if (!waiter.permit.isReleased()) {
			this.meters.admitted(nowNanos() - waiter.enqueuedNanos);
		}
		waiter.sink.success(waiter.permit);
	}

	private void scheduleTimeout(Waiter waiter) {
		try {
			waiter.timeout
				.update(this.scheduler.schedule(() -> expire(waiter), waiter.maxWait.toNanos(), TimeUnit.NANOSECONDS));
		}
		catch (RejectedExecutionException ex) {
			expire(waiter);
		}
	}

	private void expire(Waiter waiter) {
		synchronized (this) {
			if (waiter.state != WaiterState.WAITING) {
				return;
			}
			leave(waiter, WaiterState.EXPIRED);
		}
		reject(waiter, Rejection.WAIT_TIMEOUT, this.capacity.get());
	}

	/**
	 * The subscriber cancelled: leave the queue, or give back a permit not yet handed
	 * over.
	 */
	private void abandon(Waiter waiter) {
		Permit undelivered = null;
		boolean left = false;
		synchronized (this) {
			if (waiter.state == WaiterState.WAITING) {
				left = this.waiting.contains(waiter);
				leave(waiter, WaiterState.ABANDONED);
			}
			else if (waiter.state == WaiterState.GRANTED) {
				undelivered = waiter.permit;
			}
		}
		waiter.timeout.dispose();
		if (left) {
			this.meters.abandoned();
		}
		if (undelivered != null) {
			undelivered.release();
		}
	}

	/** Guarded by {@code this}. */
	private void leave(Waiter waiter, WaiterState state) {
		this.waiting.remove(waiter);
		this.depth = this.waiting.size();
		waiter.state = state;
	}

	private void reject(Waiter waiter, Rejection rejection, Capacity now) {
		waiter.timeout.dispose();
		this.meters.rejected(rejection);
		ApiError error = error(rejection, now, waiter.maxWait);
		log(error);
		waiter.sink.error(error.exception());
	}

	private void log(ApiError error) {
		long rejected = this.rejectedSinceLog.incrementAndGet();
		long last = this.lastLogNanos.get();
		long now = nowNanos();
		if (now - last >= LOG_INTERVAL_NANOS && this.lastLogNanos.compareAndSet(last, now)) {
			this.rejectedSinceLog.addAndGet(-rejected);
			logger.warn("Deployment {}: {} request(s) answered 503 since the last report; latest: {}", this.deployment,
					rejected, error.message());
		}
	}

	private ApiError error(Rejection rejection, Capacity now, Duration maxWait) {
		String message = switch (rejection) {
			case QUEUE_FULL -> "The model `%s` is overloaded: all %d of its slots are busy and its queue of %d is full"
				.formatted(this.deployment, now.permits(), now.queueSize());
			case WAIT_TIMEOUT -> "The model `%s` is overloaded: no slot came free within %s".formatted(this.deployment,
					describe(maxWait));
			case NO_REPLICA -> "No healthy replica of `%s` is available".formatted(this.deployment);
		};
		return ApiErrors.serviceUnavailable(message + " (retry after %ds)".formatted(this.retryAfterSeconds),
				this.retryAfterSeconds);
	}

	private long nowNanos() {
		return this.scheduler.now(TimeUnit.NANOSECONDS);
	}

	private static String describe(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

	private enum WaiterState {

		WAITING, GRANTED, REJECTED, EXPIRED, ABANDONED

	}

	/** One request's place in the queue; its state is guarded by the queue's lock. */
	private static final class Waiter {

		private final MonoSink<Permit> sink;

		private final long enqueuedNanos;

		private final Duration maxWait;

		private final Disposable.Swap timeout = Disposables.swap();

		private WaiterState state = WaiterState.WAITING;

		private Permit permit;

		Waiter(MonoSink<Permit> sink, long enqueuedNanos, Duration maxWait) {
			this.sink = sink;
			this.enqueuedNanos = enqueuedNanos;
			this.maxWait = maxWait;
		}

	}

}
