package dev.llmserve.replica.bridge;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a server-sent-event byte stream, cut anywhere by the network, into the data of
 * each complete event. Lines are split on bytes before decoding, so a UTF-8 character cut
 * in two by a read is reassembled. One parser per stream; not thread-safe.
 */
final class SseParser {

	private final int maxEventBytes;

	private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

	private final StringBuilder data = new StringBuilder();

	private boolean hasData;

	private boolean skipLineFeed;

	SseParser(int maxEventBytes) {
		this.maxEventBytes = maxEventBytes;
	}

	/** Feeds the next bytes; returns the data of every event they complete, in order. */
	List<String> feed(byte[] bytes) {
		List<String> events = new ArrayList<>(2);
		for (byte b : bytes) {
			if (this.skipLineFeed && b == '\n') {
				this.skipLineFeed = false;
				continue;
			}
			this.skipLineFeed = (b == '\r');
			if (b == '\n' || b == '\r') {
				endLine(events);
			}
			else {
				append(b);
			}
		}
		return events;
	}

	private void append(byte b) {
		if (this.line.size() + this.data.length() >= this.maxEventBytes) {
			throw new IllegalStateException(
					"SSE event: more than %d bytes (expected: at most %<d)".formatted(this.maxEventBytes));
		}
		this.line.write(b);
	}

	private void endLine(List<String> events) {
		String text = this.line.toString(StandardCharsets.UTF_8);
		this.line.reset();
		if (text.isEmpty()) {
			dispatch(events);
		}
		else if (text.startsWith("data:")) {
			addData(text.substring(text.startsWith("data: ") ? 6 : 5));
		}
		else if (text.equals("data")) {
			addData("");
		}
		// Comments (":…") and the other fields (event, id, retry) carry nothing we use.
	}

	private void addData(String value) {
		if (this.hasData) {
			this.data.append('\n');
		}
		this.data.append(value);
		this.hasData = true;
	}

	private void dispatch(List<String> events) {
		if (this.hasData) {
			events.add(this.data.toString());
		}
		this.data.setLength(0);
		this.hasData = false;
	}

}
