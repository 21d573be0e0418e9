package dev.llmserve.gateway.web;

/**
 * Tells whether a connection has made no write progress for too long: it has bytes
 * waiting to go out and not one of them left since. A connection with nothing waiting is
 * keeping up; one whose backlog shrinks, however slowly, has a client that reads.
 * Watching the backlog rather than the channel's writability matters: Reactor Netty stops
 * taking more once a bounded number of writes is in flight, which can leave a stalled
 * channel below its high-water mark, writable forever. Not thread-safe: one checker at a
 * time.
 */
final class StallWatch {

	private final long timeoutNanos;

	private long stalledSince = -1;

	private long lastPending;

	StallWatch(long timeoutNanos) {
		this.timeoutNanos = timeoutNanos;
	}

	/**
	 * Whether the connection is stalled at {@code now} (nanoseconds), given the bytes it
	 * has waiting to be written.
	 */
	boolean isStalled(long pendingBytes, long now) {
		if (pendingBytes <= 0) {
			this.stalledSince = -1;
			return false;
		}
		if (this.stalledSince < 0 || pendingBytes < this.lastPending) {
			this.stalledSince = now;
			this.lastPending = pendingBytes;
			return false;
		}
		this.lastPending = pendingBytes;
		return now - this.stalledSince >= this.timeoutNanos;
	}

}
