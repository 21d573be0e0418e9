package dev.llmserve.replica.engine;

/**
 * Where the engine listens: always loopback, on a port chosen before it starts.
 *
 * @param host the engine's address
 * @param port the engine's HTTP port
 */
public record EngineEndpoint(String host, int port) {

	public EngineEndpoint {
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("port: %d (expected: 1-65535)".formatted(port));
		}
	}

	public static EngineEndpoint loopback(int port) {
		return new EngineEndpoint("127.0.0.1", port);
	}

	public String baseUrl() {
		return "http://" + this.host + ":" + this.port;
	}

}
