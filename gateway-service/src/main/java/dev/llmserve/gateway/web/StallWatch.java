package dev.llmserve.gateway.web;

import io.netty.channel.Channel;

/**
 * Tells whether a connection has made no write progress for too long: Netty holds more
 * than its high-water mark for it (so Reactor Netty stopped asking for more) and not a
 * byte of that drained since. A client reading slowly makes progress; one that reads
 * nothing does not. Not thread-safe: one checker at a time.
 */
final class StallWatch {

	private final long timeoutNanos;

	private long stalledSince = -1;

	private long lastPending;

	StallWatch(long timeoutNanos) {
		this.timeoutNanos = timeoutNanos;
	}

	/** Whether the connection is stalled at {@code now} (nanoseconds). */
	boolean isStalled(Channel channel, long now) {
		if (!channel.isActive() || channel.isWritable()) {
			this.stalledSince = -1;
			return false;
		}
		long pending = channel.bytesBeforeWritable();
		if (this.stalledSince < 0 || pending < this.lastPending) {
			this.stalledSince = now;
			this.lastPending = pending;
			return false;
		}
		this.lastPending = pending;
		return now - this.stalledSince >= this.timeoutNanos;
	}

}
