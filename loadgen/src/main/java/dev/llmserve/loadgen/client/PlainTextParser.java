package dev.llmserve.loadgen.client;

/**
 * The plain endpoint's chunked text: every non-empty read is a timestamp, and output
 * tokens are counted from the text (there is no usage). A clean end is the terminating
 * chunk.
 */
final class PlainTextParser implements ResponseBodyParser {

	private final ChunkTimes times;

	private final StreamListener listener;

	private final TextTokenCounter tokens = new TextTokenCounter();

	PlainTextParser(long startNanos, StreamListener listener) {
		this.times = new ChunkTimes(startNanos, listener);
		this.listener = listener;
	}

	@Override
	public void onBytes(byte[] bytes, int length, long nanos) {
		if (length == 0) {
			return;
		}
		this.times.add(nanos);
		int before = this.tokens.count();
		this.tokens.accept(bytes, length);
		this.listener.onTokens(this.tokens.count() - before);
	}

	@Override
	public Outcome onEnd() {
		int before = this.tokens.count();
		this.tokens.finish();
		this.listener.onTokens(this.tokens.count() - before);
		return (this.times.size() == 0) ? Outcome.EMPTY_STREAM : Outcome.SUCCESS;
	}

	@Override
	public long[] chunkNanos() {
		return this.times.toArray();
	}

	@Override
	public int outputTokens() {
		return this.tokens.count();
	}

	@Override
	public String errorDetail() {
		return null;
	}

}
