package dev.llmserve.gateway.web;

import java.time.Duration;

import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StallWatchTests {

	private static final long TIMEOUT = Duration.ofSeconds(10).toNanos();

	private final EmbeddedChannel channel = new EmbeddedChannel();

	private final StallWatch watch = new StallWatch(TIMEOUT);

	StallWatchTests() {
		this.channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
	}

	@AfterEach
	void close() {
		this.channel.finishAndReleaseAll();
	}

	@Test
	void writableConnectionIsNeverStalled() {
		assertThat(this.watch.isStalled(this.channel, 0)).isFalse();
		assertThat(this.watch.isStalled(this.channel, 10 * TIMEOUT)).isFalse();
	}

	@Test
	void connectionThatStaysFullForTheTimeoutIsStalled() {
		this.channel.write(Unpooled.wrappedBuffer(new byte[32]));
		assertThat(this.channel.isWritable()).isFalse();

		assertThat(this.watch.isStalled(this.channel, 0)).isFalse();
		assertThat(this.watch.isStalled(this.channel, TIMEOUT - 1)).isFalse();
		assertThat(this.watch.isStalled(this.channel, TIMEOUT)).isTrue();
	}

	@Test
	void anyDrainingCountsAsProgressAndRestartsTheClock() {
		this.channel.write(Unpooled.wrappedBuffer(new byte[32]));
		this.channel.write(Unpooled.wrappedBuffer(new byte[32]));
		assertThat(this.watch.isStalled(this.channel, 0)).isFalse();

		// The first buffer goes out: still above the high-water mark, but progress.
		this.channel.unsafe().outboundBuffer().addFlush();
		this.channel.unsafe().outboundBuffer().remove();
		assertThat(this.channel.isWritable()).isFalse();
		assertThat(this.watch.isStalled(this.channel, TIMEOUT)).isFalse();
		assertThat(this.watch.isStalled(this.channel, 2 * TIMEOUT - 1)).isFalse();
		assertThat(this.watch.isStalled(this.channel, 2 * TIMEOUT)).isTrue();
	}

	@Test
	void becomingWritableAgainResetsTheWatch() {
		this.channel.write(Unpooled.wrappedBuffer(new byte[32]));
		assertThat(this.watch.isStalled(this.channel, 0)).isFalse();
		this.channel.flush();
		assertThat(this.watch.isStalled(this.channel, TIMEOUT)).isFalse();

		this.channel.write(Unpooled.wrappedBuffer(new byte[32]));
		assertThat(this.watch.isStalled(this.channel, TIMEOUT + 1)).isFalse();
		assertThat(this.watch.isStalled(this.channel, 2 * TIMEOUT)).isFalse();
		assertThat(this.watch.isStalled(this.channel, 2 * TIMEOUT + 1)).isTrue();
	}

}
