package dev.llmserve.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/** Finds ports nobody listens on, for children that must be told their port. */
public final class FreePorts {

	/** How many ports handed out lately are never handed out again. */
	private static final int REMEMBERED = 512;

	private static final int ATTEMPTS = 64;

	private static final Deque<Integer> recent = new ArrayDeque<>();

	private static final Set<Integer> recentSet = new HashSet<>();

	private FreePorts() {
	}

	/**
	 * A port that was free on every interface a moment ago (children such as gRPC servers
	 * bind all of them) and that this JVM has not handed out lately: a port given to a
	 * child that has not bound it yet is not given to the next one. Another process may
	 * still take it before the caller binds it, so callers that can retry on a bind
	 * failure should.
	 */
	public static synchronized int find() {
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			int port = bindAny();
			if (recentSet.add(port)) {
				recent.addLast(port);
				if (recent.size() > REMEMBERED) {
					recentSet.remove(recent.removeFirst());
				}
				return port;
			}
		}
		throw new IllegalStateException("No free port that was not handed out lately in " + ATTEMPTS + " attempts");
	}

	private static int bindAny() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port", ex);
		}
	}

}
