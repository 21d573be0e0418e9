package dev.llmserve.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;

/**
 * Copies a child's merged output into our log, line by line with a prefix, and keeps the
 * last lines so that a failure can say what the child printed before it died.
 */
final class OutputPump implements Runnable {

	static final int RECENT_LINES = 50;

	private final InputStream input;

	private final String prefix;

	private final Logger log;

	private final ArrayDeque<String> recent = new ArrayDeque<>(RECENT_LINES);

	private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

	OutputPump(InputStream input, String prefix, Logger log) {
		this.input = input;
		this.prefix = prefix;
		this.log = log;
	}

	@Override
	public void run() {
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(this.input, StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				accept(line);
			}
		}
		catch (IOException ex) {
			// The stream closes when the child dies; nothing more to copy.
		}
	}

	void addListener(Consumer<String> listener) {
		this.listeners.add(listener);
	}

	synchronized List<String> recentLines() {
		return List.copyOf(this.recent);
	}

	private void accept(String line) {
		this.log.info("[{}] {}", this.prefix, line);
		synchronized (this) {
			if (this.recent.size() == RECENT_LINES) {
				this.recent.removeFirst();
			}
			this.recent.addLast(line);
		}
		for (Consumer<String> listener : this.listeners) {
			listener.accept(line);
		}
	}

}
