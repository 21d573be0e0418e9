package dev.llmserve.loadgen.load;

import java.util.random.RandomGenerator;

/**
 * Gaps between arrivals, as {@code vllm bench serve} draws them: gamma distributed with
 * shape {@code burstiness} and scale {@code 1 / (rate × burstiness)}, so the mean rate is
 * {@code rate} whatever the burstiness; burstiness 1 is a Poisson process, below 1
 * burstier, above 1 more regular. An infinite rate has no gaps. Not thread-safe.
 */
final class ArrivalProcess {

	private static final double NANOS_PER_SECOND = 1e9;

	private final double rate;

	private final double shape;

	private final RandomGenerator random;

	ArrivalProcess(double rate, double burstiness, RandomGenerator random) {
		this.rate = rate;
		this.shape = burstiness;
		this.random = random;
	}

	boolean isUnlimited() {
		return Double.isInfinite(this.rate);
	}

	long nextGapNanos() {
		if (isUnlimited()) {
			return 0;
		}
		double scaleSeconds = 1.0 / (this.rate * this.shape);
		return Math.round(gamma(this.shape) * scaleSeconds * NANOS_PER_SECOND);
	}

	/** A gamma(shape, 1) draw: Marsaglia and Tsang, boosted for shape below 1. */
	private double gamma(double k) {
		if (k < 1) {
			double u = 1.0 - this.random.nextDouble();
			return gamma(k + 1) * Math.pow(u, 1.0 / k);
		}
		double d = k - 1.0 / 3;
		double c = 1.0 / Math.sqrt(9 * d);
		while (true) {
			double x = this.random.nextGaussian();
			double v = 1 + c * x;
			if (v <= 0) {
				continue;
			}
			v = v * v * v;
			double u = 1.0 - this.random.nextDouble();
			if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
				return d * v;
			}
		}
	}

}
