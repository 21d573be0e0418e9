package dev.llmserve.gateway.web;

import java.util.concurrent.ThreadLocalRandom;

import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Request ids: the client's {@code X-Request-Id} when it is usable, otherwise a random
 * one. The id is echoed in the response's {@code X-Request-Id}.
 */
public final class RequestIds {

	/** The header that carries the id both ways. */
	public static final String HEADER = "X-Request-Id";

	private static final String ATTRIBUTE = RequestIds.class.getName() + ".id";

	private static final int MAX_LENGTH = 128;

	private RequestIds() {
	}

	/** The id of this request, generated on first use. */
	public static String resolve(ServerRequest request) {
		Object known = request.attributes().get(ATTRIBUTE);
		if (known instanceof String id) {
			return id;
		}
		String given = request.headers().firstHeader(HEADER);
		String id = isUsable(given) ? given : generate();
		request.attributes().put(ATTRIBUTE, id);
		// On the response right away, so that error answers carry it too.
		request.exchange().getResponse().getHeaders().set(HEADER, id);
		return id;
	}

	static boolean isUsable(String id) {
		if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
			return false;
		}
		return id.chars().allMatch((c) -> c > 0x20 && c < 0x7f);
	}

	static String generate() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return hex(random.nextLong()) + hex(random.nextLong());
	}

	private static String hex(long value) {
		String digits = Long.toHexString(value);
		return "0".repeat(16 - digits.length()) + digits;
	}

}
