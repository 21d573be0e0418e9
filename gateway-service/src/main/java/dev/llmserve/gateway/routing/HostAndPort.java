package dev.llmserve.gateway.routing;

/**
 * A parsed {@code host:port} ({@code [v6]:port} for IPv6 literals).
 */
record HostAndPort(String host, int port) {

	static HostAndPort parse(String deployment, String address) {
		int colon = address.lastIndexOf(':');
		if (colon <= 0 || colon == address.length() - 1) {
			throw invalid(deployment, address);
		}
		String host = address.substring(0, colon);
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		try {
			int port = Integer.parseInt(address.substring(colon + 1));
			if (host.isEmpty() || port <= 0 || port > 65535) {
				throw invalid(deployment, address);
			}
			return new HostAndPort(host, port);
		}
		catch (NumberFormatException ex) {
			throw invalid(deployment, address);
		}
	}

	private static IllegalArgumentException invalid(String deployment, String address) {
		return new IllegalArgumentException(
				"llmserve.gateway.routing.static.%s: \"%s\" (expected: host:port)".formatted(deployment, address));
	}

}
