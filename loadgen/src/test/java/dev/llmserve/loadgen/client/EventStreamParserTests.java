package dev.llmserve.loadgen.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.llmserve.loadgen.metrics.RequestMetrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventStreamParserTests {

	private static final long MS = 1_000_000;

	private static final String ROLE = "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n";

	private static final String USAGE = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}\n\n";

	private static final String DONE = "data: [DONE]\n\n";

	private final List<Long> firstChunks = new ArrayList<>();

	private int liveTokens;

	private final EventStreamParser parser = new EventStreamParser(10 * MS, new StreamListener() {

		@Override
		public void onFirstChunk(long ttftNanos) {
			EventStreamParserTests.this.firstChunks.add(ttftNanos);
		}

		@Override
		public void onTokens(int tokens) {
			EventStreamParserTests.this.liveTokens += tokens;
		}

	});

	@Test
	void timesAChatStreamTheWayVllmBenchServeDoes() {
		feed(ROLE, 60);
		feed(token(" Hello"), 80);
		feed(token(" world"), 110);
		feed(USAGE, 500); // a late usage chunk changes no latency
		feed(DONE, 600);

		assertThat(this.parser.onEnd()).isEqualTo(Outcome.SUCCESS);
		RequestMetrics metrics = RequestMetrics.of(result());
		assertThat(metrics.ttftNanos()).isEqualTo(50 * MS);
		assertThat(metrics.itlNanos()).containsExactly(20 * MS, 30 * MS);
		assertThat(metrics.e2elNanos()).isEqualTo(100 * MS);
		assertThat(metrics.outputTokens()).isEqualTo(2);
		assertThat(metrics.tpotNanos()).isEqualTo(50 * MS);
		assertThat(this.firstChunks).containsExactly(50 * MS);
		assertThat(this.liveTokens).isEqualTo(2);
	}

	@Test
	void eventsInOneReadShareItsArrivalTime() {
		feed(ROLE + token(" a") + token(" b"), 40);

		assertThat(this.parser.chunkNanos()).containsExactly(40 * MS, 40 * MS, 40 * MS);
	}

	@Test
	void withoutUsageTheOutputTokensAreTheContentChunks() {
		feed(ROLE + token(" a") + token(" b") + token(" c") + DONE, 40);

		assertThat(this.parser.outputTokens()).isEqualTo(3);
	}

	@Test
	void aStreamThatEndsBeforeDoneIsBroken() {
		feed(ROLE + token(" a"), 40);

		assertThat(this.parser.onEnd()).isEqualTo(Outcome.STREAM_BROKEN);
	}

	@Test
	void anErrorEventFailsTheRequestEvenThoughDoneFollows() {
		feed(ROLE + "data: {\"error\":{\"message\":\"engine died\",\"code\":500}}\n\n" + DONE, 40);

		assertThat(this.parser.onEnd()).isEqualTo(Outcome.ERROR_EVENT);
		assertThat(this.parser.errorDetail()).contains("engine died");
	}

	@Test
	void aCleanStreamWithoutChoicesIsEmpty() {
		feed(USAGE + DONE, 40);

		assertThat(this.parser.onEnd()).isEqualTo(Outcome.EMPTY_STREAM);
	}

	private void feed(String text, long atMs) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		this.parser.onBytes(bytes, bytes.length, atMs * MS);
	}

	private static String token(String text) {
		return "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"}}]}\n\n";
	}

	private RequestResult result() {
		return new RequestResult(Outcome.SUCCESS, 200, null, 10 * MS, this.parser.chunkNanos(),
				this.parser.outputTokens(), 9, 0);
	}

}
