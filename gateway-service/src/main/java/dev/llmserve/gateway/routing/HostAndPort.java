package dev.llmserve.gateway.routing;

/**
 * A parsed {@code host:port} ({@code [v6]:port} for IPv6 literals).
 *
 * @param host the host name or IP literal, without brackets
 * @param port the port, 1..65535
 */
public record HostAndPort(String host, int port) {

	/**
	 * Parses {@code address}; {@code setting} names where it came from in the error
	 * message.
	 * @throws IllegalArgumentException if it is not {@code host:port}
	 */
	public static HostAndPort parse(String setting, String address) {
		int colon = address.lastIndexOf(':');
		if (colon <= 0 || colon == address.length() - 1) {
			throw invalid(setting, address);
		}
		String host = address.substring(0, colon);
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		try {
			int port = Integer.parseInt(address.substring(colon + 1));
			if (host.isEmpty() || port <= 0 || port > 65535) {
				throw invalid(setting, address);
			}
			return new HostAndPort(host, port);
		}
		catch (NumberFormatException ex) {
			throw invalid(setting, address);
		}
	}

	private static IllegalArgumentException invalid(String setting, String address) {
		return new IllegalArgumentException("%s: \"%s\" (expected: host:port)".formatted(setting, address));
	}

}
