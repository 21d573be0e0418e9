package dev.llmserve.gateway.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends exactly the given bytes to the gateway over a plain socket and reads one answer,
 * for requests an HTTP client library would refuse to send (invalid UTF-8, broken
 * framing, odd headers). Interim {@code 1xx} answers are skipped.
 */
public final class RawHttpClient {

	private RawHttpClient() {
	}

	/**
	 * One response to {@code request}; the socket times out after {@code timeout} of
	 * silence.
	 */
	public static Response exchange(int port, byte[] request, Duration timeout) throws IOException {
		try (Exchange exchange = open(port, request, timeout, 0)) {
			return exchange.head().withBody(exchange.rest());
		}
	}

	/**
	 * Sends {@code request} and reads the response head; the body is read on demand.
	 * @param receiveBuffer the socket's receive buffer size, or 0 for the default
	 */
	public static Exchange open(int port, byte[] request, Duration timeout, int receiveBuffer) throws IOException {
		Socket socket = new Socket();
		try {
			if (receiveBuffer > 0) {
				socket.setReceiveBufferSize(receiveBuffer);
			}
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
			socket.setSoTimeout((int) timeout.toMillis());
			OutputStream out = socket.getOutputStream();
			try {
				out.write(request);
				out.flush();
			}
			catch (SocketException ex) {
				// The server may answer and close before it read everything (e.g. a 413).
			}
			InputStream in = new BufferedInputStream(socket.getInputStream());
			Response response;
			do {
				response = readHead(in);
			}
			while (response.status() < 200);
			return new Exchange(socket, in, response);
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
	}

	/** A request as the bytes of {@code head} (CRLF line ends added) and {@code body}. */
	public static byte[] request(String head, byte[] body) {
		byte[] headBytes = (head.replace("\n", "\r\n") + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
		byte[] all = new byte[headBytes.length + body.length];
		System.arraycopy(headBytes, 0, all, 0, headBytes.length);
		System.arraycopy(body, 0, all, headBytes.length, body.length);
		return all;
	}

	private static Response readHead(InputStream in) throws IOException {
		String statusLine = readLine(in);
		if (statusLine == null) {
			throw new IOException("connection closed before a response");
		}
		int status = Integer.parseInt(statusLine.split(" ")[1]);
		Map<String, String> headers = new LinkedHashMap<>();
		for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
			int colon = line.indexOf(':');
			headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
		}
		return new Response(status, headers, null);
	}

	/** An open exchange whose body is read piece by piece. */
	public static final class Exchange implements AutoCloseable {

		private final Socket socket;

		private final InputStream in;

		private final Response head;

		private boolean ended;

		Exchange(Socket socket, InputStream in, Response head) {
			this.socket = socket;
			this.in = in;
			this.head = head;
		}

		public Response head() {
			return this.head;
		}

		/**
		 * The next HTTP chunk of a chunked body (the whole body otherwise), or
		 * {@code null} at its proper end.
		 * @throws IOException if the connection ends before the body does
		 */
		public String next() throws IOException {
			if (this.ended) {
				return null;
			}
			if (!"chunked".equalsIgnoreCase(this.head.headers().get("transfer-encoding"))) {
				this.ended = true;
				String length = this.head.headers().get("content-length");
				byte[] bytes = (length != null) ? this.in.readNBytes(Integer.parseInt(length)) : this.in.readAllBytes();
				return new String(bytes, StandardCharsets.UTF_8);
			}
			String line = readLine(this.in);
			if (line == null) {
				throw new IOException("connection closed before the terminating chunk");
			}
			int size = Integer.parseInt(line.split(";")[0].trim(), 16);
			if (size == 0) {
				this.ended = true;
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

		/** The rest of the body. */
		public String rest() throws IOException {
			StringBuilder body = new StringBuilder();
			for (String piece = next(); piece != null; piece = next()) {
				body.append(piece);
			}
			return body.toString();
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1 && b != '\n') {
			if (b != '\r') {
				line.write(b);
			}
		}
		return (b == -1 && line.size() == 0) ? null : line.toString(StandardCharsets.ISO_8859_1);
	}

	/**
	 * One response.
	 *
	 * @param status the status code
	 * @param headers the headers, names in lower case
	 * @param body the body, decoded as UTF-8
	 */
	public record Response(int status, Map<String, String> headers, String body) {

		Response withBody(String body) {
			return new Response(this.status, this.headers, body);
		}

	}

}
