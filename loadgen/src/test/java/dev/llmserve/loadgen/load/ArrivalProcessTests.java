package dev.llmserve.loadgen.load;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ArrivalProcessTests {

	private static final int SAMPLES = 200_000;

	@Test
	void poissonArrivalsHaveTheMeanRateAndExponentialGaps() {
		double[] stats = gapStats(new ArrivalProcess(50, 1.0, new SplittableRandom(1)));

		assertThat(1e9 / stats[0]).as("rate").isCloseTo(50, within(0.5));
		assertThat(stats[1]).as("coefficient of variation").isCloseTo(1.0, within(0.02));
	}

	@Test
	void burstyGammaArrivalsKeepTheMeanRateWithMoreVariance() {
		double[] stats = gapStats(new ArrivalProcess(50, 0.25, new SplittableRandom(2)));

		assertThat(1e9 / stats[0]).isCloseTo(50, within(1.0));
		assertThat(stats[1]).as("CV = 1/sqrt(shape)").isCloseTo(2.0, within(0.08));
	}

	@Test
	void steadyGammaArrivalsKeepTheMeanRateWithLessVariance() {
		double[] stats = gapStats(new ArrivalProcess(200, 4.0, new SplittableRandom(3)));

		assertThat(1e9 / stats[0]).isCloseTo(200, within(2.0));
		assertThat(stats[1]).isCloseTo(0.5, within(0.02));
	}

	@Test
	void anInfiniteRateHasNoGaps() {
		ArrivalProcess arrivals = new ArrivalProcess(Double.POSITIVE_INFINITY, 1.0, new SplittableRandom(4));

		assertThat(arrivals.isUnlimited()).isTrue();
		assertThat(arrivals.nextGapNanos()).isZero();
	}

	/** Mean gap in nanoseconds and coefficient of variation. */
	private static double[] gapStats(ArrivalProcess arrivals) {
		double sum = 0;
		double sumSquares = 0;
		for (int i = 0; i < SAMPLES; i++) {
			double gap = arrivals.nextGapNanos();
			sum += gap;
			sumSquares += gap * gap;
		}
		double mean = sum / SAMPLES;
		double variance = sumSquares / SAMPLES - mean * mean;
		return new double[] { mean, Math.sqrt(variance) / mean };
	}

}
