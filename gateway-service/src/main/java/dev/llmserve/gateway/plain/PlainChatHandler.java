package dev.llmserve.gateway.plain;

import dev.llmserve.gateway.admission.AdmissionControl;
import dev.llmserve.gateway.error.ApiErrors;
import dev.llmserve.gateway.metrics.GatewayMetrics;
import dev.llmserve.gateway.metrics.RequestRecorder;
import dev.llmserve.gateway.upstream.InferenceClient;
import dev.llmserve.gateway.web.RequestBodyReader;
import dev.llmserve.gateway.web.RequestIds;
import dev.llmserve.gateway.web.StreamingBody;
import dev.llmserve.proto.ChatMessage;
import dev.llmserve.proto.ChatMessages;
import dev.llmserve.proto.GenerateChunk;
import dev.llmserve.proto.GenerateRequest;
import dev.llmserve.proto.SamplingParams;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code POST /v1/chat/{deployment}}: the {@code text/plain} body is one user message;
 * the answer is the generated text alone, one HTTP chunk per token delta. Admission
 * control answers 503 before anything else when the deployment is overloaded. A failure
 * before the first chunk is an error status with OpenAI's error JSON; after it, the
 * connection is cut without the terminating chunk, so the client sees a truncated
 * transfer, not success.
 */
final class PlainChatHandler {

	static final MediaType TEXT_PLAIN_UTF8 = MediaType.parseMediaType("text/plain;charset=UTF-8");

	private final RequestBodyReader bodies;

	private final InferenceClient inference;

	private final AdmissionControl admission;

	private final GatewayMetrics metrics;

	PlainChatHandler(RequestBodyReader bodies, InferenceClient inference, AdmissionControl admission,
			GatewayMetrics metrics) {
		this.metrics = metrics;
		this.bodies = bodies;
		this.inference = inference;
		this.admission = admission;
	}

	Mono<ServerResponse> chat(ServerRequest request) {
		String requestId = RequestIds.resolve(request);
		String deployment = request.pathVariable("deployment");
		RequestRecorder recorder = this.metrics.request().deployment(deployment);
		return recorder.counted(this.bodies.readText(request).flatMap((prompt) -> {
			if (prompt.isEmpty()) {
				return Mono
					.error(ApiErrors.badRequest(null, "Request body is empty (expected: the prompt as text/plain)")
						.exception());
			}
			recorder.accepted();
			return this.admission.admit(request, deployment).flatMap((permit) -> {
				Flux<String> text = permit
					.releaseOnEnd(this.inference.generate(generateRequest(requestId, deployment, prompt), recorder))
					.map(GenerateChunk::getText)
					.filter((delta) -> !delta.isEmpty());
				return ServerResponse.ok()
					.contentType(TEXT_PLAIN_UTF8)
					.header("X-Accel-Buffering", "no")
					.body(StreamingBody.of(text));
			});
		}));
	}

	private static GenerateRequest generateRequest(String requestId, String deployment, String prompt) {
		ChatMessage message = ChatMessage.newBuilder().setRole("user").setContent(prompt).build();
		return GenerateRequest.newBuilder()
			.setRequestId(requestId)
			.setDeployment(deployment)
			.setChat(ChatMessages.newBuilder().addMessages(message))
			.setSampling(SamplingParams.getDefaultInstance())
			.build();
	}

}
