package dev.llmserve.loadgen.client;

import java.util.Arrays;

/** A growable list of chunk arrival times that reports the first one as it happens. */
final class ChunkTimes {

	private final long startNanos;

	private final StreamListener listener;

	private long[] nanos = new long[64];

	private int size;

	ChunkTimes(long startNanos, StreamListener listener) {
		this.startNanos = startNanos;
		this.listener = listener;
	}

	void add(long arrival) {
		if (this.size == this.nanos.length) {
			this.nanos = Arrays.copyOf(this.nanos, this.size * 2);
		}
		this.nanos[this.size++] = arrival;
		if (this.size == 1) {
			this.listener.onFirstChunk(arrival - this.startNanos);
		}
	}

	int size() {
		return this.size;
	}

	long[] toArray() {
		return Arrays.copyOf(this.nanos, this.size);
	}

}
