package dev.llmserve.gateway.upstream;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkDeadlinesTests {

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	private final ChunkDeadlines deadlines = new ChunkDeadlines(Duration.ofSeconds(2), Duration.ofSeconds(5),
			this.nanos::get);

	@Test
	void missesTheFirstChunkDeadlineCountedFromTheStartOfTheCall() {
		this.deadlines.onRequest(16);
		advance(Duration.ofMillis(1999));
		assertThat(this.deadlines.check()).isEqualTo(ChunkDeadlines.Missed.NONE);
		advance(Duration.ofMillis(1));
		assertThat(this.deadlines.check()).isEqualTo(ChunkDeadlines.Missed.FIRST_CHUNK);
		assertThat(this.deadlines.missed()).isEqualTo(ChunkDeadlines.Missed.FIRST_CHUNK);
		assertThat(this.deadlines.hasChunk()).isFalse();
	}

	@Test
	void afterTheFirstChunkOnlyAStallWhileChunksAreAskedForCounts() {
		this.deadlines.onRequest(2);
		advance(Duration.ofSeconds(1));
		this.deadlines.onChunk();
		assertThat(this.deadlines.hasChunk()).isTrue();
		advance(Duration.ofSeconds(4));
		assertThat(this.deadlines.check()).as("the first-chunk deadline no longer applies")
			.isEqualTo(ChunkDeadlines.Missed.NONE);
		advance(Duration.ofSeconds(1));
		assertThat(this.deadlines.check()).isEqualTo(ChunkDeadlines.Missed.NEXT_CHUNK);
	}

	@Test
	void aClientThatAsksForNothingIsNotAStallAndItsNextRequestStartsTheWait() {
		this.deadlines.onRequest(1);
		this.deadlines.onChunk();
		advance(Duration.ofSeconds(60));
		assertThat(this.deadlines.check()).isEqualTo(ChunkDeadlines.Missed.NONE);
		this.deadlines.onRequest(1);
		advance(Duration.ofSeconds(4));
		assertThat(this.deadlines.check()).isEqualTo(ChunkDeadlines.Missed.NONE);
		advance(Duration.ofSeconds(1));
		assertThat(this.deadlines.check()).isEqualTo(ChunkDeadlines.Missed.NEXT_CHUNK);
	}

	private void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

}
