package dev.llmserve.loadgen.load;

/** How requests are offered: by a fixed population of users, or by an arrival process. */
public sealed interface LoadShape permits LoadShape.ClosedLoop, LoadShape.OpenLoop {

	/** A one-line description for the report. */
	String describe();

	/**
	 * Locust-style: each user sends a request as soon as its previous one ends.
	 *
	 * @param users the number of users
	 * @param spawnRate users started per second ({@code +Infinity}: all at once)
	 */
	record ClosedLoop(int users, double spawnRate) implements LoadShape {

		public ClosedLoop {
			if (users < 1) {
				throw new IllegalArgumentException("users: %d (expected: >= 1)".formatted(users));
			}
			if (!(spawnRate > 0)) {
				throw new IllegalArgumentException("spawn-rate: %s (expected: > 0)".formatted(spawnRate));
			}
		}

		@Override
		public String describe() {
			return "closed loop: %d users, %s".formatted(this.users, Double.isInfinite(this.spawnRate)
					? "all started at once" : "spawn rate %s/s".formatted(this.spawnRate));
		}

	}

	/**
	 * {@code vllm bench serve}-style: requests arrive at {@code rate} per second with
	 * gamma distributed gaps (shape {@code burstiness}; 1 is Poisson), at most
	 * {@code maxConcurrency} in flight (the rest wait in the client).
	 *
	 * @param rate mean arrivals per second ({@code +Infinity}: as fast as slots free up)
	 * @param burstiness the gamma shape
	 * @param maxConcurrency the most requests in flight; {@link Integer#MAX_VALUE} for no
	 * limit
	 */
	record OpenLoop(double rate, double burstiness, int maxConcurrency) implements LoadShape {

		public OpenLoop {
			if (!(rate > 0)) {
				throw new IllegalArgumentException("rate: %s (expected: > 0 or inf)".formatted(rate));
			}
			if (!(burstiness > 0) || Double.isInfinite(burstiness)) {
				throw new IllegalArgumentException("burstiness: %s (expected: > 0)".formatted(burstiness));
			}
			if (maxConcurrency < 1) {
				throw new IllegalArgumentException("max-concurrency: %d (expected: >= 1)".formatted(maxConcurrency));
			}
		}

		@Override
		public String describe() {
			return "open loop: %s req/s, burstiness %s, max concurrency %s".formatted(this.rate, this.burstiness,
					(this.maxConcurrency == Integer.MAX_VALUE) ? "none" : this.maxConcurrency);
		}

	}

}
