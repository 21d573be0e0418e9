package dev.llmserve.loadgen.workload;

import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Prompts of a given length in tokens, built from common English words.
 *
 * <p>
 * Every word below is exactly one token for the engine simulator's tokenizer (they are
 * words of its corpus), and almost always one token for Llama-family tokenizers, so a
 * prompt of {@code n} words is {@code n} tokens there and close to it elsewhere. Words
 * are drawn at random so that requests share no prefix unless a prefix group says so.
 */
public final class PromptFactory {

	static final List<String> WORDS = List.of(("learning is a field of study that gives computers the ability to "
			+ "learn from data without being explicitly programmed language model predicts next word in sequence "
			+ "one token at time everything it has seen so far models are trained on vast amount text and they "
			+ "grammar facts little reasoning along way such mostly problem memory bandwidth because every new "
			+ "reads all weights once key value cache keeps attention state each request does not compute whole "
			+ "prompt again for batching lets many requests share forward pass can join batch any step full "
			+ "scheduler preempts newest computes later long split into chunks single cannot stall others too "
			+ "caching reuses blocks shared system across conversations systems measure first latency between "
			+ "tokens throughput cluster")
		.split(" "));

	private final List<String> prefixes;

	/**
	 * @param groups how many shared prefixes there are (0: none)
	 * @param prefixTokens how long each prefix is
	 * @param seed the prefixes are the same for the same seed
	 */
	public PromptFactory(int groups, int prefixTokens, long seed) {
		SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
		this.prefixes = java.util.stream.IntStream.range(0, groups)
			.mapToObj((group) -> words(random, prefixTokens))
			.toList();
	}

	/**
	 * A prompt of {@code tokens} random words, after one of the shared prefixes if any.
	 */
	public Prompt next(RandomGenerator random, int tokens) {
		if (this.prefixes.isEmpty()) {
			return new Prompt(words(random, tokens), -1);
		}
		int group = random.nextInt(this.prefixes.size());
		String prefix = this.prefixes.get(group);
		return new Prompt((tokens == 0) ? prefix : prefix + " " + words(random, tokens), group);
	}

	static String words(RandomGenerator random, int count) {
		StringBuilder text = new StringBuilder(count * 7);
		for (int i = 0; i < count; i++) {
			if (i > 0) {
				text.append(' ');
			}
			text.append(WORDS.get(random.nextInt(WORDS.size())));
		}
		return text.toString();
	}

	/**
	 * One prompt.
	 *
	 * @param text the prompt
	 * @param prefixGroup the shared prefix it starts with, or -1
	 */
	public record Prompt(String text, int prefixGroup) {
	}

}
