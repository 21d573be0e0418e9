package dev.llmserve.systemtests;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately small HTTP/1.1 client over a plain socket, so that tests see exactly the
 * bytes the gateway sends (status line, headers, chunked framing) and can hang up
 * mid-stream.
 */
final class RawHttp implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final int status;

	private final Map<String, String> headers;

	private final boolean chunked;

	private long remaining;

	private RawHttp(Socket socket, InputStream in, int status, Map<String, String> headers) {
		this.socket = socket;
		this.in = in;
		this.status = status;
		this.headers = headers;
		this.chunked = "chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""));
		this.remaining = Long.parseLong(headers.getOrDefault("content-length", "-1"));
	}

	/** Sends a POST and reads the status line and headers; the body is read on demand. */
	static RawHttp post(int port, String path, String contentType, String body) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
		socket.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: " + contentType
				+ "\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n";
		OutputStream out = socket.getOutputStream();
		out.write(head.getBytes(StandardCharsets.US_ASCII));
		out.write(bytes);
		out.flush();
		InputStream in = new BufferedInputStream(socket.getInputStream());
		String statusLine = readLine(in);
		int status = Integer.parseInt(statusLine.split(" ")[1]);
		Map<String, String> headers = new LinkedHashMap<>();
		for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
			int colon = line.indexOf(':');
			headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
		}
		return new RawHttp(socket, in, status, headers);
	}

	static RawHttp postJson(int port, String path, String json) throws IOException {
		return post(port, path, "application/json", json);
	}

	int status() {
		return this.status;
	}

	String header(String name) {
		return this.headers.get(name.toLowerCase(Locale.ROOT));
	}

	boolean isChunked() {
		return this.chunked;
	}

	/**
	 * The next piece of the body as the server framed it (one HTTP chunk when chunked),
	 * or {@code null} at the proper end of the body.
	 * @throws IOException if the connection ends before the body does (a truncated
	 * response)
	 */
	String nextPiece() throws IOException {
		if (!this.chunked) {
			return readFixed();
		}
		String sizeLine = readLine(this.in);
		int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
		if (size == 0) {
			readLine(this.in);
			return null;
		}
		byte[] data = this.in.readNBytes(size);
		if (data.length < size) {
			throw new IOException("connection closed inside a chunk");
		}
		readLine(this.in);
		return new String(data, StandardCharsets.UTF_8);
	}

	/** The whole remaining body. */
	String body() throws IOException {
		StringBuilder body = new StringBuilder();
		for (String piece = nextPiece(); piece != null; piece = nextPiece()) {
			body.append(piece);
		}
		return body.toString();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	private String readFixed() throws IOException {
		if (this.remaining == 0) {
			return null;
		}
		byte[] data = (this.remaining > 0) ? this.in.readNBytes((int) this.remaining) : this.in.readAllBytes();
		this.remaining = 0;
		return new String(data, StandardCharsets.UTF_8);
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1) {
			if (b == '\n') {
				break;
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		if (b == -1 && line.size() == 0) {
			throw new IOException("connection closed");
		}
		return line.toString(StandardCharsets.UTF_8);
	}

}
