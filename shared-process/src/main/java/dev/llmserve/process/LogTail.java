package dev.llmserve.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a log file, read from its end so that a large log costs nothing. */
final class LogTail {

	private static final int MAX_BYTES = 64 * 1024;

	private LogTail() {
	}

	static List<String> lastLines(Path file, int count) {
		try (RandomAccessFile log = new RandomAccessFile(file.toFile(), "r")) {
			long length = log.length();
			int size = (int) Math.min(length, MAX_BYTES);
			byte[] tail = new byte[size];
			log.seek(length - size);
			log.readFully(tail);
			List<String> lines = Arrays.asList(new String(tail, StandardCharsets.UTF_8).split("\r?\n"));
			return List.copyOf(lines.subList(Math.max(0, lines.size() - count), lines.size()));
		}
		catch (IOException ex) {
			return List.of();
		}
	}

}
