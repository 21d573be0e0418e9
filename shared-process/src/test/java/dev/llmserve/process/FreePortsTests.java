package dev.llmserve.process;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FreePortsTests {

	@Test
	void findsAPortThatCanBeBoundOnLoopbackAndOnEveryInterface() throws Exception {
		int port = FreePorts.find();

		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			assertThat(socket.getLocalPort()).isEqualTo(port);
		}
		try (ServerSocket socket = new ServerSocket(port)) {
			assertThat(socket.getLocalPort()).isEqualTo(port);
		}
	}

	@Test
	void neverHandsOutAPortTwiceInARowEvenWhileNobodyBindsIt() {
		Set<Integer> ports = new HashSet<>();
		for (int i = 0; i < 200; i++) {
			assertThat(ports.add(FreePorts.find())).isTrue();
		}
	}

}
