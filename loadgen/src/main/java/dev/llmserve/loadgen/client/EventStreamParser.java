package dev.llmserve.loadgen.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An OpenAI SSE stream, timed as {@code vllm bench serve} times it: every data message
 * with non-empty {@code choices} is a timestamp (for chat the first is the role chunk);
 * the usage chunk gives the output token count; the stream must end with {@code [DONE]}.
 */
final class EventStreamParser implements ResponseBodyParser {

	static final int MAX_EVENT_BYTES = 1 << 20;

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final int MAX_DETAIL = 300;

	private final SseDecoder decoder = new SseDecoder(MAX_EVENT_BYTES, this::onEvent);

	private final ChunkTimes times;

	private final StreamListener listener;

	private long now;

	private boolean done;

	private int countedTokens;

	private int usageTokens = -1;

	private String errorDetail;

	EventStreamParser(long startNanos, StreamListener listener) {
		this.times = new ChunkTimes(startNanos, listener);
		this.listener = listener;
	}

	@Override
	public void onBytes(byte[] bytes, int length, long nanos) {
		this.now = nanos;
		this.decoder.decode(bytes, 0, length);
	}

	private void onEvent(byte[] data, int length) {
		if (this.done) {
			return;
		}
		switch (ChunkInspector.kind(data, length)) {
			case DONE -> this.done = true;
			case CHOICES -> onChoices(data, length);
			case ERROR -> this.errorDetail = truncate(new String(data, 0, length, StandardCharsets.UTF_8));
			case NO_CHOICES -> {
				if (ChunkInspector.hasUsage(data, length)) {
					this.usageTokens = completionTokens(data, length);
				}
			}
		}
	}

	private void onChoices(byte[] data, int length) {
		boolean roleOnly = this.times.size() == 0 && ChunkInspector.isRoleOnly(data, length);
		this.times.add(this.now);
		if (!roleOnly) {
			this.countedTokens++;
			this.listener.onTokens(1);
		}
	}

	private static int completionTokens(byte[] data, int length) {
		try {
			JsonNode tokens = JSON.readTree(data, 0, length).path("usage").path("completion_tokens");
			return tokens.isInt() ? tokens.intValue() : -1;
		}
		catch (IOException ex) {
			return -1;
		}
	}

	@Override
	public Outcome onEnd() {
		if (this.errorDetail != null) {
			return Outcome.ERROR_EVENT;
		}
		if (!this.done) {
			return Outcome.STREAM_BROKEN;
		}
		return (this.times.size() == 0) ? Outcome.EMPTY_STREAM : Outcome.SUCCESS;
	}

	@Override
	public long[] chunkNanos() {
		return this.times.toArray();
	}

	@Override
	public int outputTokens() {
		return (this.usageTokens >= 0) ? this.usageTokens : this.countedTokens;
	}

	@Override
	public String errorDetail() {
		return this.errorDetail;
	}

	static String truncate(String text) {
		return (text.length() <= MAX_DETAIL) ? text : text.substring(0, MAX_DETAIL) + "…";
	}

}
