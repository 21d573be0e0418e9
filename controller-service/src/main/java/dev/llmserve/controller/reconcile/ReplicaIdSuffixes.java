package dev.llmserve.controller.reconcile;

import java.security.SecureRandom;
import java.util.Random;
import java.util.function.Supplier;

/** Short random suffixes for replica ids: 6 characters of {@code [a-z0-9]}. */
final class ReplicaIdSuffixes implements Supplier<String> {

	private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

	private static final int LENGTH = 6;

	private final Random random = new SecureRandom();

	@Override
	public String get() {
		StringBuilder suffix = new StringBuilder(LENGTH);
		for (int i = 0; i < LENGTH; i++) {
			suffix.append(ALPHABET.charAt(this.random.nextInt(ALPHABET.length())));
		}
		return suffix.toString();
	}

}
