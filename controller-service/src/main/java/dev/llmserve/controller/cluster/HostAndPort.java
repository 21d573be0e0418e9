package dev.llmserve.controller.cluster;

/** A {@code host:port} address ({@code [v6]:port} too). */
record HostAndPort(String host, int port) {

	static HostAndPort parse(String address) {
		int colon = (address != null) ? address.lastIndexOf(':') : -1;
		if (colon <= 0 || colon == address.length() - 1) {
			throw new IllegalArgumentException("address: '%s' (expected: host:port)".formatted(address));
		}
		String host = address.substring(0, colon);
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		try {
			int port = Integer.parseInt(address.substring(colon + 1));
			if (port < 1 || port > 65535) {
				throw new NumberFormatException();
			}
			return new HostAndPort(host, port);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("address: '%s' (expected: host:port, port 1-65535)".formatted(address));
		}
	}

}
