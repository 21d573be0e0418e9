package dev.llmserve.loadgen.client;

import java.util.Arrays;

/**
 * Incremental Server-Sent Events decoder: bytes in, in whatever pieces the network
 * delivers them (an event, a line or a UTF-8 character may straddle two reads), the
 * {@code data} of each complete event out. Lines end with LF, CRLF or CR; comments and
 * other fields are skipped; several {@code data} lines of one event are joined with LF,
 * as the SSE spec says. Not thread-safe: one per response.
 */
final class SseDecoder {

	/** Receives the data of each complete event, valid only during the call. */
	interface EventHandler {

		void onEvent(byte[] data, int length);

	}

	private static final byte[] DATA = { 'd', 'a', 't', 'a' };

	private final int maxEventBytes;

	private final EventHandler handler;

	private byte[] line = new byte[256];

	private int lineLength;

	private byte[] data = new byte[512];

	private int dataLength;

	private boolean hasData;

	private boolean afterCr;

	SseDecoder(int maxEventBytes, EventHandler handler) {
		this.maxEventBytes = maxEventBytes;
		this.handler = handler;
	}

	/**
	 * Decodes {@code length} bytes of {@code bytes}; calls the handler for each complete
	 * event.
	 */
	void decode(byte[] bytes, int offset, int length) {
		for (int i = offset; i < offset + length; i++) {
			byte b = bytes[i];
			if (b == '\n' && this.afterCr) {
				this.afterCr = false;
				continue;
			}
			this.afterCr = (b == '\r');
			if (b == '\n' || b == '\r') {
				endLine();
			}
			else {
				appendToLine(b);
			}
		}
	}

	private void appendToLine(byte b) {
		if (this.lineLength == this.line.length) {
			checkSize(this.lineLength + 1);
			this.line = Arrays.copyOf(this.line, this.line.length * 2);
		}
		this.line[this.lineLength++] = b;
	}

	private void endLine() {
		if (this.lineLength == 0) {
			dispatch();
			return;
		}
		if (isDataField()) {
			int start = DATA.length + 1;
			if (start < this.lineLength && this.line[start] == ' ') {
				start++;
			}
			appendData(start);
		}
		this.lineLength = 0;
	}

	private boolean isDataField() {
		if (this.lineLength < DATA.length) {
			return false;
		}
		for (int i = 0; i < DATA.length; i++) {
			if (this.line[i] != DATA[i]) {
				return false;
			}
		}
		return this.lineLength == DATA.length || this.line[DATA.length] == ':';
	}

	private void appendData(int start) {
		int count = Math.max(0, this.lineLength - start);
		int needed = this.dataLength + count + 1;
		checkSize(needed);
		if (needed > this.data.length) {
			this.data = Arrays.copyOf(this.data, Math.max(needed, this.data.length * 2));
		}
		if (this.hasData) {
			this.data[this.dataLength++] = '\n';
		}
		System.arraycopy(this.line, start, this.data, this.dataLength, count);
		this.dataLength += count;
		this.hasData = true;
	}

	private void dispatch() {
		if (this.hasData) {
			this.handler.onEvent(this.data, this.dataLength);
		}
		this.hasData = false;
		this.dataLength = 0;
	}

	private void checkSize(int size) {
		if (size > this.maxEventBytes) {
			throw new IllegalStateException("SSE event over %d bytes".formatted(this.maxEventBytes));
		}
	}

}
