package dev.llmserve.gateway.error;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;

import io.grpc.Status;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.util.DisconnectedClientHelper;

import static org.assertj.core.api.Assertions.assertThat;

class ApiErrorWebExceptionHandlerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final ApiErrorWebExceptionHandler handler = new ApiErrorWebExceptionHandler(new ApiErrorMapper(2));

	@Test
	void writesOpenAisErrorJsonWithStatusAndRetryAfter() {
		MockServerWebExchange exchange = exchange();
		exchange.getResponse().getHeaders().setContentType(MediaType.TEXT_EVENT_STREAM);
		StepVerifier
			.create(this.handler.handle(exchange, Status.UNAVAILABLE.withDescription("gone").asRuntimeException()))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(503);
		assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
		StepVerifier.create(exchange.getResponse().getBodyAsString())
			.expectNext(
					"{\"error\":{\"message\":\"gone\",\"type\":\"ServiceUnavailableError\",\"param\":null,\"code\":503}}")
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void listsTheAllowedMethodsOfAWrongMethod() {
		MockServerWebExchange exchange = exchange();
		StepVerifier
			.create(this.handler.handle(exchange,
					new MethodNotAllowedException(HttpMethod.POST, Set.of(HttpMethod.GET))))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(405);
		assertThat(exchange.getResponse().getHeaders().getAllow()).containsExactly(HttpMethod.GET);
	}

	@Test
	void neverLetsAReplicasConnectionResetPassForAClientDisconnectOnceTheResponseStarted() {
		MockServerWebExchange exchange = exchange();
		exchange.getResponse().setComplete().block(TIMEOUT);
		Throwable replicaDied = Status.UNAVAILABLE.withDescription("io exception")
			.withCause(new IOException("recvAddress(..) failed: Connection reset by peer"))
			.asRuntimeException();
		assertThat(DisconnectedClientHelper.isClientDisconnectedException(replicaDied)).isTrue();
		StepVerifier.create(this.handler.handle(exchange, replicaDied)).expectErrorSatisfies((error) -> {
			assertThat(error).isInstanceOf(ResponseAbortedException.class).hasNoCause();
			assertThat(DisconnectedClientHelper.isClientDisconnectedException(error)).isFalse();
		}).verify(TIMEOUT);
	}

	@Test
	void passesAClientDisconnectAfterTheResponseStartedOnAsItIs() {
		MockServerWebExchange exchange = exchange();
		exchange.getResponse().setComplete().block(TIMEOUT);
		IOException clientGone = new IOException("Broken pipe");
		StepVerifier.create(this.handler.handle(exchange, clientGone))
			.expectErrorMatches((error) -> error == clientGone)
			.verify(TIMEOUT);
	}

	private static MockServerWebExchange exchange() {
		return MockServerWebExchange.from(MockServerHttpRequest.post("/v1/chat/m"));
	}

}
