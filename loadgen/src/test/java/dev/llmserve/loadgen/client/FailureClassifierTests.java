package dev.llmserve.loadgen.client;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.PrematureCloseException;

import static org.assertj.core.api.Assertions.assertThat;

class FailureClassifierTests {

	@Test
	void refusedAndTimedOutConnectsAreConnectErrors() {
		assertThat(FailureClassifier.classify(new ConnectException("Connection refused")))
			.isEqualTo(Outcome.CONNECT_ERROR);
		assertThat(FailureClassifier.classify(new ConnectTimeoutException("connect timed out")))
			.isEqualTo(Outcome.CONNECT_ERROR);
	}

	@Test
	void requestAndIdleTimeoutsAreTimeouts() {
		assertThat(FailureClassifier.classify(new TimeoutException("Did not observe any item")))
			.isEqualTo(Outcome.TIMEOUT);
		assertThat(FailureClassifier.classify(ReadTimeoutException.INSTANCE)).isEqualTo(Outcome.TIMEOUT);
	}

	@Test
	void aConnectionClosedMidResponseIsABrokenStream() {
		assertThat(FailureClassifier.classify(PrematureCloseException.TEST_EXCEPTION)).isEqualTo(Outcome.STREAM_BROKEN);
		assertThat(FailureClassifier.classify(new IOException("Connection reset by peer")))
			.isEqualTo(Outcome.STREAM_BROKEN);
	}

	@Test
	void aWrappedCauseIsFound() {
		assertThat(FailureClassifier.classify(new RuntimeException(new ConnectException("refused"))))
			.isEqualTo(Outcome.CONNECT_ERROR);
	}

	@Test
	void anythingElseIsOther() {
		assertThat(FailureClassifier.classify(new IllegalStateException("SSE event over 1048576 bytes")))
			.isEqualTo(Outcome.OTHER);
	}

}
