package dev.llmserve.gateway.error;

import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;

class ApiErrorMapperTests {

	private final ApiErrorMapper mapper = new ApiErrorMapper(3);

	@ParameterizedTest
	@CsvSource({ "INVALID_ARGUMENT, 400, BadRequestError", "OUT_OF_RANGE, 400, BadRequestError",
			"FAILED_PRECONDITION, 400, BadRequestError", "NOT_FOUND, 404, NotFoundError",
			"RESOURCE_EXHAUSTED, 429, RateLimitError", "UNAVAILABLE, 503, ServiceUnavailableError",
			"DEADLINE_EXCEEDED, 504, GatewayTimeoutError", "INTERNAL, 502, BadGatewayError",
			"UNKNOWN, 502, BadGatewayError", "UNIMPLEMENTED, 502, BadGatewayError", "CANCELLED, 502, BadGatewayError" })
	void mapsEachGrpcStatusToAnHttpStatus(Status.Code code, int status, String type) {
		ApiError error = this.mapper.map(Status.fromCode(code).withDescription("why").asRuntimeException());
		assertThat(error.status()).isEqualTo(status);
		assertThat(error.type()).isEqualTo(type);
		assertThat(error.param()).isNull();
	}

	@Test
	void passesTheReplicasMessageThroughForABadRequest() {
		ApiError error = this.mapper
			.map(Status.INVALID_ARGUMENT.withDescription("This model's maximum context length is 2048 tokens.")
				.asException());
		assertThat(error.toJson())
			.isEqualTo("{\"error\":{\"message\":\"This model's maximum context length is 2048 tokens.\","
					+ "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}}");
	}

	@Test
	void asksToRetryLaterOnlyForOverloadAndUnavailability() {
		assertThat(this.mapper.map(Status.RESOURCE_EXHAUSTED.asRuntimeException()).retryAfterSeconds()).isEqualTo(3);
		assertThat(this.mapper.map(Status.UNAVAILABLE.asRuntimeException()).retryAfterSeconds()).isEqualTo(3);
		assertThat(this.mapper.map(Status.INTERNAL.asRuntimeException()).retryAfterSeconds()).isNull();
		assertThat(this.mapper.map(Status.INVALID_ARGUMENT.asRuntimeException()).retryAfterSeconds()).isNull();
	}

	@Test
	void saysWhichStatusTheReplicaFailedWith() {
		assertThat(this.mapper.map(Status.INTERNAL.withDescription("CUDA error").asRuntimeException()).message())
			.isEqualTo("The replica failed the request (INTERNAL: CUDA error)");
		assertThat(this.mapper.map(Status.UNAVAILABLE.asRuntimeException()).message()).isEqualTo("UNAVAILABLE");
	}

	@Test
	void keepsTheGatewaysOwnErrorsAsTheyAre() {
		ApiError notFound = ApiErrors.modelNotFound("foo");
		assertThat(this.mapper.map(notFound.exception())).isSameAs(notFound);
		assertThat(notFound.toJson()).isEqualTo(
				"{\"error\":{\"message\":\"The model `foo` does not exist.\",\"type\":\"NotFoundError\",\"param\":\"model\",\"code\":404}}");
	}

	@Test
	void mapsSpringStatusExceptionsByTheirStatus() {
		ApiError error = this.mapper.map(new ResponseStatusException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "no"));
		assertThat(error.status()).isEqualTo(415);
		assertThat(error.type()).isEqualTo("UnsupportedMediaTypeError");
		assertThat(error.message()).isEqualTo("no");
	}

	@Test
	void hidesTheDetailsOfAnUnexpectedFailure() {
		ApiError error = this.mapper.map(new IllegalStateException("secret internals"));
		assertThat(error.status()).isEqualTo(500);
		assertThat(error.message()).isEqualTo("Internal server error");
	}

}
