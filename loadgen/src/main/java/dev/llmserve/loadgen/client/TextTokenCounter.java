package dev.llmserve.loadgen.client;

/**
 * Counts tokens in streamed text the way the engine simulator's tokenizer cuts it,
 * without its vocabulary: a word is one token, digits go in threes, other symbols (UTF-8
 * bytes) in fours, and a single space before a piece belongs to it. Exact for the
 * simulator's answers (all corpus words and punctuation), an estimate for any other text.
 * Pieces may straddle reads.
 */
final class TextTokenCounter {

	private static final int NONE = 0;

	private static final int LETTER = 1;

	private static final int DIGIT = 2;

	private static final int SYMBOL = 3;

	private static final int SPACE = 4;

	private int kind = NONE;

	private int run;

	private int count;

	void accept(byte[] bytes, int length) {
		for (int i = 0; i < length; i++) {
			int next = kindOf(bytes[i]);
			if (next == this.kind) {
				this.run++;
				continue;
			}
			endRun(next);
			this.kind = next;
			this.run = 1;
		}
	}

	void finish() {
		endRun(NONE);
		this.kind = NONE;
		this.run = 0;
	}

	int count() {
		return this.count;
	}

	private void endRun(int following) {
		switch (this.kind) {
			case LETTER -> this.count++;
			case DIGIT -> this.count += ceilDiv(this.run, 3);
			case SYMBOL -> this.count += ceilDiv(this.run, 4);
			case SPACE -> this.count += ceilDiv((following == NONE) ? this.run : this.run - 1, 4);
			default -> {
			}
		}
	}

	private static int kindOf(byte b) {
		if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')) {
			return LETTER;
		}
		if (b >= '0' && b <= '9') {
			return DIGIT;
		}
		if (b == ' ' || b == '\n' || b == '\t' || b == '\r') {
			return SPACE;
		}
		return SYMBOL;
	}

	private static int ceilDiv(int value, int divisor) {
		return (value + divisor - 1) / divisor;
	}

}
