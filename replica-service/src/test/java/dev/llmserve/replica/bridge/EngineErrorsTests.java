package dev.llmserve.replica.bridge;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.PrematureCloseException;

import static org.assertj.core.api.Assertions.assertThat;

class EngineErrorsTests {

	private final ObjectMapper json = new ObjectMapper();

	@Test
	void badRequestBecomesInvalidArgumentWithTheEnginesMessage() {
		StatusRuntimeException error = EngineErrors.forResponse(400,
				"{\"error\":{\"message\":\"This model's maximum context length is 64 tokens. However, your request has 80 input tokens.\",\"type\":\"BadRequestError\",\"param\":\"input_tokens\",\"code\":400}}",
				this.json);

		assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
		assertThat(error.getStatus().getDescription()).startsWith("This model's maximum context length is 64 tokens");
	}

	@Test
	void readsTheFlatErrorShapeOfOlderVllm() {
		StatusRuntimeException error = EngineErrors.forResponse(400,
				"{\"object\":\"error\",\"message\":\"bad temperature\",\"type\":\"BadRequestError\",\"code\":400}",
				this.json);

		assertThat(error.getStatus().getDescription()).isEqualTo("bad temperature");
	}

	@Test
	void notFoundBecomesNotFound() {
		StatusRuntimeException error = EngineErrors.forResponse(404,
				"{\"error\":{\"message\":\"The model `foo` does not exist.\",\"type\":\"NotFoundError\",\"code\":404}}",
				this.json);

		assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
		assertThat(error.getStatus().getDescription()).isEqualTo("The model `foo` does not exist.");
	}

	@Test
	void serverErrorsBecomeInternalAndUnhealthyEnginesUnavailable() {
		assertThat(EngineErrors.forResponse(500, "oops", this.json).getStatus().getCode())
			.isEqualTo(Status.Code.INTERNAL);
		assertThat(EngineErrors.forResponse(500, "oops", this.json).getStatus().getDescription()).isEqualTo("oops");
		assertThat(EngineErrors.forResponse(503, "", this.json).getStatus().getCode())
			.isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(EngineErrors.forResponse(503, "", this.json).getStatus().getDescription())
			.isEqualTo("engine answered HTTP 503");
		assertThat(EngineErrors.forResponse(429, "{}", this.json).getStatus().getCode())
			.isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
		assertThat(EngineErrors.forResponse(422, "{}", this.json).getStatus().getCode())
			.isEqualTo(Status.Code.INVALID_ARGUMENT);
	}

	@Test
	void connectionFailuresBecomeUnavailable() {
		assertThat(code(new ConnectException("Connection refused"))).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(code(new IOException("Connection reset by peer"))).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(code(PrematureCloseException.TEST_EXCEPTION)).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(code(ReadTimeoutException.INSTANCE)).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(code(new TimeoutException())).isEqualTo(Status.Code.UNAVAILABLE);
	}

	@Test
	void statusesPassThroughAndAnythingElseIsInternal() {
		StatusRuntimeException invalid = Status.INVALID_ARGUMENT.asRuntimeException();
		assertThat(EngineErrors.translate(invalid)).isSameAs(invalid);
		assertThat(code(new IllegalStateException("bug"))).isEqualTo(Status.Code.INTERNAL);
	}

	@Test
	void inStreamErrorsBecomeInternal() throws Exception {
		StatusRuntimeException error = EngineErrors.inStream(this.json.readTree("{\"message\":\"boom\",\"code\":500}"));

		assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
		assertThat(error.getStatus().getDescription()).isEqualTo("boom");
	}

	private static Status.Code code(Throwable error) {
		return Status.fromThrowable(EngineErrors.translate(error)).getCode();
	}

}
