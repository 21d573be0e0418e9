package dev.llmserve.systemtests;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a raw HTTP body into server-sent events' {@code data:} payloads as they arrive.
 */
final class SseReader {

	private final RawHttp http;

	private final StringBuilder pending = new StringBuilder();

	private boolean ended;

	SseReader(RawHttp http) {
		this.http = http;
	}

	/** The next event's data, or {@code null} when the body has ended. */
	String next() throws IOException {
		while (true) {
			int end = this.pending.indexOf("\n\n");
			if (end >= 0) {
				String event = this.pending.substring(0, end);
				this.pending.delete(0, end + 2);
				return data(event);
			}
			if (this.ended) {
				return null;
			}
			String piece = this.http.nextPiece();
			if (piece == null) {
				this.ended = true;
			}
			else {
				this.pending.append(piece);
			}
		}
	}

	/** Every remaining event's data. */
	List<String> rest() throws IOException {
		List<String> events = new ArrayList<>();
		for (String data = next(); data != null; data = next()) {
			events.add(data);
		}
		return events;
	}

	private static String data(String event) {
		StringBuilder data = new StringBuilder();
		for (String line : event.split("\n")) {
			if (line.startsWith("data:")) {
				if (!data.isEmpty()) {
					data.append('\n');
				}
				data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
			}
		}
		return data.toString();
	}

}
