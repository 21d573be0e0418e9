package dev.llmserve.replica.bridge;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a server-sent-event byte stream, cut anywhere by the network, into the data of
 * each complete event. Lines are split on bytes before decoding, so a UTF-8 character cut
 * in two by a read is reassembled. One parser per stream; not thread-safe.
 * <p>
 * It runs once per token on the replica's hot path: a line that lies whole within one
 * read is decoded straight from the read's bytes, and only a line cut by a read is copied
 * aside.
 */
final class SseParser {

	private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);

	private final int maxEventBytes;

	/** The start of a line cut by the end of the previous read. */
	private byte[] pending = new byte[256];

	private int pendingLength;

	private final StringBuilder data = new StringBuilder();

	private boolean hasData;

	/**
	 * The last byte seen ended a line with {@code \r}: a {@code \n} next is part of it.
	 */
	private boolean skipLineFeed;

	SseParser(int maxEventBytes) {
		this.maxEventBytes = maxEventBytes;
	}

	/** Feeds the next bytes; returns the data of every event they complete, in order. */
	List<String> feed(byte[] bytes) {
		List<String> events = new ArrayList<>(2);
		int from = 0;
		for (int i = 0; i < bytes.length; i++) {
			byte b = bytes[i];
			if (b != '\n' && b != '\r') {
				continue;
			}
			if (b == '\n' && this.skipLineFeed && i == from && this.pendingLength == 0) {
				this.skipLineFeed = false;
				from = i + 1;
				continue;
			}
			endLine(bytes, from, i, events);
			from = i + 1;
			this.skipLineFeed = (b == '\r');
		}
		if (from < bytes.length) {
			keep(bytes, from, bytes.length);
			this.skipLineFeed = false;
		}
		return events;
	}

	private void endLine(byte[] bytes, int from, int to, List<String> events) {
		byte[] line = bytes;
		int start = from;
		int end = to;
		if (this.pendingLength > 0) {
			keep(bytes, from, to);
			line = this.pending;
			start = 0;
			end = this.pendingLength;
			this.pendingLength = 0;
		}
		checkSize(end - start);
		if (end == start) {
			dispatch(events);
		}
		else if (startsWithData(line, start, end)) {
			int value = start + DATA.length;
			if (value < end && line[value] == ':') {
				value++;
				if (value < end && line[value] == ' ') {
					value++;
				}
				addData(new String(line, value, end - value, StandardCharsets.UTF_8));
			}
			else if (value == end) {
				addData("");
			}
		}
		// Comments (":…") and the other fields (event, id, retry) carry nothing we use.
	}

	private static boolean startsWithData(byte[] line, int start, int end) {
		return end - start >= DATA.length && Arrays.equals(line, start, start + DATA.length, DATA, 0, DATA.length);
	}

	private void keep(byte[] bytes, int from, int to) {
		int length = to - from;
		checkSize(this.pendingLength + length);
		if (this.pendingLength + length > this.pending.length) {
			this.pending = Arrays.copyOf(this.pending, Math.max(this.pending.length * 2, this.pendingLength + length));
		}
		System.arraycopy(bytes, from, this.pending, this.pendingLength, length);
		this.pendingLength += length;
	}

	private void checkSize(int lineBytes) {
		if (lineBytes + this.data.length() >= this.maxEventBytes) {
			throw new IllegalStateException(
					"SSE event: more than %d bytes (expected: at most %<d)".formatted(this.maxEventBytes));
		}
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
