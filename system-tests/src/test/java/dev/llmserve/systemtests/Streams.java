package dev.llmserve.systemtests;

import java.io.IOException;
import java.util.List;

/**
 * Checks that a streamed completion through the gateway ends the way a client expects.
 */
final class Streams {

	private Streams() {
	}

	/** Streams one request; {@code null} if it completed well, else what went wrong. */
	static String failureOf(int port, String path, String body) {
		try (RawHttp http = RawHttp.postJson(port, path, body)) {
			if (http.status() != 200) {
				return "HTTP " + http.status() + ": " + http.body();
			}
			List<String> events = new SseReader(http).rest();
			if (events.isEmpty() || !events.get(events.size() - 1).equals("[DONE]")) {
				return "no [DONE] (" + events.size() + " events)";
			}
			for (String event : events) {
				if (event.startsWith("{\"error\"")) {
					return "error event: " + event;
				}
			}
			String last = events.get(events.size() - 2);
			if (!last.contains("\"finish_reason\":\"")) {
				return "no finish reason before [DONE]: " + last;
			}
			return null;
		}
		catch (IOException ex) {
			return "I/O: " + ex;
		}
	}

}
