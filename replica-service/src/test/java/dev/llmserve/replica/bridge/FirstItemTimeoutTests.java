package dev.llmserve.replica.bridge;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

class FirstItemTimeoutTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@Test
	void failsAndCancelsTheSourceWhenNoItemArrivesInTime() {
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		AtomicBoolean cancelled = new AtomicBoolean();
		Flux<String> silent = Flux.<String>never().doOnCancel(() -> cancelled.set(true));
		StepVerifier.create(FirstItemTimeout.apply(silent, TIMEOUT, () -> new IllegalStateException("late"), time))
			.then(() -> time.advanceTimeBy(TIMEOUT.minusMillis(1)))
			.expectNoEvent(Duration.ZERO)
			.then(() -> time.advanceTimeBy(Duration.ofMillis(1)))
			.expectErrorMessage("late")
			.verify(Duration.ofSeconds(5));
		assertThat(cancelled).isTrue();
	}

	@Test
	void letsEveryItemThroughForAsLongAsTheStreamTakesOnceTheFirstCameInTime() {
		TimerRecorder time = new TimerRecorder();
		Sinks.Many<String> source = Sinks.many().unicast().onBackpressureBuffer();
		StepVerifier.create(FirstItemTimeout.apply(source.asFlux(), TIMEOUT, IllegalStateException::new, time))
			.then(() -> source.tryEmitNext("a"))
			.expectNext("a")
			.then(() -> time.advanceTimeBy(TIMEOUT.multipliedBy(10)))
			.then(() -> source.tryEmitNext("b"))
			.expectNext("b")
			.then(source::tryEmitComplete)
			.verifyComplete();
		assertThat(time.timers).isNotEmpty().allMatch(Disposable::isDisposed);
	}

	@Test
	void passesAnEarlyEndOrFailureThroughAndDropsTheTimer() {
		TimerRecorder time = new TimerRecorder();
		StepVerifier.create(FirstItemTimeout.apply(Flux.<String>empty(), TIMEOUT, IllegalStateException::new, time))
			.verifyComplete();
		StepVerifier
			.create(FirstItemTimeout.apply(Flux.<String>error(new IllegalArgumentException("no")), TIMEOUT,
					IllegalStateException::new, time))
			.expectErrorMessage("no")
			.verify(Duration.ofSeconds(5));
		assertThat(time.timers).isNotEmpty().allMatch(Disposable::isDisposed);
	}

	@Test
	void honoursBackpressure() {
		StepVerifier
			.create(FirstItemTimeout.apply(Flux.range(1, 10), TIMEOUT, IllegalStateException::new,
					Schedulers.parallel()), 3)
			.expectNext(1, 2, 3)
			.thenRequest(7)
			.expectNextCount(7)
			.verifyComplete();
	}

	/** Virtual time that remembers the timers it was asked for. */
	private static final class TimerRecorder implements Scheduler {

		private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

		private final List<Disposable> timers = new CopyOnWriteArrayList<>();

		@Override
		public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
			Disposable timer = this.time.schedule(task, delay, unit);
			this.timers.add(timer);
			return timer;
		}

		@Override
		public Disposable schedule(Runnable task) {
			return this.time.schedule(task);
		}

		@Override
		public Worker createWorker() {
			return this.time.createWorker();
		}

		void advanceTimeBy(Duration duration) {
			this.time.advanceTimeBy(duration);
		}

	}

}
