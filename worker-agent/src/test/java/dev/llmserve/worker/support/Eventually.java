package dev.llmserve.worker.support;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Waits for something that real processes or servers do in their own time, polling every
 * 50 ms, and fails with the last value seen.
 */
public final class Eventually {

	private static final Duration POLL = Duration.ofMillis(50);

	private Eventually() {
	}

	public static <T> T await(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> condition) {
		AtomicReference<Object> last = new AtomicReference<>();
		T result;
		try {
			// Probes may block (gRPC calls, process queries): poll on a thread meant for
			// it.
			result = Flux.interval(Duration.ZERO, POLL, Schedulers.boundedElastic())
				.onBackpressureDrop()
				.map((tick) -> sample(probe, last))
				.filter((value) -> value != Missing.VALUE && condition.test(cast(value)))
				.map(Eventually::<T>cast)
				.blockFirst(timeout);
		}
		catch (IllegalStateException ex) {
			throw new AssertionError(
					"Timed out after %s waiting for %s; last seen: %s".formatted(timeout, what, last.get()));
		}
		return result;
	}

	public static void await(String what, Duration timeout, Supplier<Boolean> condition) {
		await(what, timeout, condition, Boolean.TRUE::equals);
	}

	private static Object sample(Supplier<?> probe, AtomicReference<Object> last) {
		try {
			Object value = probe.get();
			last.set(value);
			return (value != null) ? value : Missing.VALUE;
		}
		catch (RuntimeException ex) {
			last.set(ex);
			return Missing.VALUE;
		}
	}

	@SuppressWarnings("unchecked")
	private static <T> T cast(Object value) {
		return (T) value;
	}

	private enum Missing {

		VALUE

	}

}
