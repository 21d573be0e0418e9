package dev.llmserve.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds loopback ports nobody listens on, for children that must be told their port. */
public final class FreePorts {

	private FreePorts() {
	}

	/**
	 * A port that was free on 127.0.0.1 a moment ago. Another process may take it before
	 * the caller binds it, so callers that can retry on a bind failure should.
	 */
	public static int find() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free loopback port", ex);
		}
	}

}
