package dev.llmserve.replica.bridge;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

/**
 * Fails a stream whose first item does not arrive in time; once it has, items pass with
 * no further cost. {@code Flux.timeout(first, item -> Mono.never())} does the same but
 * subscribes and cancels a timeout per item, which at one item per token showed in the
 * profiles.
 */
final class FirstItemTimeout<T> implements CoreSubscriber<T>, Subscription {

	private static final int WAITING = 0;

	private static final int ARRIVED = 1;

	private static final int TIMED_OUT = 2;

	@SuppressWarnings("rawtypes")
	private static final AtomicIntegerFieldUpdater<FirstItemTimeout> STATE = AtomicIntegerFieldUpdater
		.newUpdater(FirstItemTimeout.class, "state");

	private final CoreSubscriber<? super T> actual;

	private final Duration timeout;

	private final Supplier<? extends Throwable> error;

	private final Scheduler timer;

	private volatile int state;

	private Subscription upstream;

	private volatile Disposable pending;

	private FirstItemTimeout(CoreSubscriber<? super T> actual, Duration timeout, Supplier<? extends Throwable> error,
			Scheduler timer) {
		this.actual = actual;
		this.timeout = timeout;
		this.error = error;
		this.timer = timer;
	}

	/**
	 * {@code source}, failing with {@code error} if no item arrives within
	 * {@code timeout}.
	 */
	static <T> Flux<T> apply(Flux<T> source, Duration timeout, Supplier<? extends Throwable> error, Scheduler timer) {
		return source.transform(
				Operators.<T, T>lift((scannable, actual) -> new FirstItemTimeout<>(actual, timeout, error, timer)));
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		if (Operators.validate(this.upstream, subscription)) {
			this.upstream = subscription;
			this.actual.onSubscribe(this);
			Disposable timer = this.timer.schedule(this::expire, this.timeout.toNanos(), TimeUnit.NANOSECONDS);
			this.pending = timer;
			if (this.state != WAITING) {
				// The first item or the end came while the timer was being set.
				timer.dispose();
			}
		}
	}

	@Override
	public void onNext(T item) {
		if (this.state == ARRIVED || STATE.compareAndSet(this, WAITING, ARRIVED)) {
			Disposable timer = this.pending;
			if (timer != null) {
				this.pending = null;
				timer.dispose();
			}
			this.actual.onNext(item);
		}
		else {
			Operators.onDiscard(item, this.actual.currentContext());
		}
	}

	@Override
	public void onError(Throwable failure) {
		if (end()) {
			this.actual.onError(failure);
		}
		else {
			Operators.onErrorDropped(failure, this.actual.currentContext());
		}
	}

	@Override
	public void onComplete() {
		if (end()) {
			this.actual.onComplete();
		}
	}

	@Override
	public void request(long n) {
		this.upstream.request(n);
	}

	@Override
	public void cancel() {
		Disposable timer = this.pending;
		if (timer != null) {
			timer.dispose();
		}
		this.upstream.cancel();
	}

	@Override
	public Context currentContext() {
		return this.actual.currentContext();
	}

	/** The stream ends: passes on unless the timeout already ended it. */
	private boolean end() {
		if (this.state == ARRIVED || STATE.compareAndSet(this, WAITING, ARRIVED)) {
			Disposable timer = this.pending;
			if (timer != null) {
				timer.dispose();
			}
			return true;
		}
		return false;
	}

	private void expire() {
		if (STATE.compareAndSet(this, WAITING, TIMED_OUT)) {
			this.upstream.cancel();
			this.actual.onError(this.error.get());
		}
	}

}
