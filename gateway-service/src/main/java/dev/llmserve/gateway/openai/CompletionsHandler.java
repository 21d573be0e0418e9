package dev.llmserve.gateway.openai;

import java.time.Clock;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmserve.gateway.admission.AdmissionControl;
import dev.llmserve.gateway.error.ApiErrorMapper;
import dev.llmserve.gateway.metrics.GatewayMetrics;
import dev.llmserve.gateway.metrics.RequestRecorder;
import dev.llmserve.gateway.upstream.InferenceClient;
import dev.llmserve.gateway.web.RequestBodyReader;
import dev.llmserve.gateway.web.RequestIds;
import dev.llmserve.gateway.web.StreamingBody;
import dev.llmserve.proto.GenerateChunk;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code POST /v1/chat/completions} and {@code POST /v1/completions}: validate, admit,
 * route, and answer as a stream of server-sent events or as one JSON aggregated from the
 * stream.
 */
final class CompletionsHandler {

	private final RequestBodyReader bodies;

	private final CompletionRequestParser parser = new CompletionRequestParser();

	private final InferenceClient inference;

	private final AdmissionControl admission;

	private final ApiErrorMapper errors;

	private final Clock clock;

	private final GatewayMetrics metrics;

	CompletionsHandler(RequestBodyReader bodies, InferenceClient inference, AdmissionControl admission,
			ApiErrorMapper errors, Clock clock, GatewayMetrics metrics) {
		this.metrics = metrics;
		this.bodies = bodies;
		this.inference = inference;
		this.admission = admission;
		this.errors = errors;
		this.clock = clock;
	}

	Mono<ServerResponse> chat(ServerRequest request) {
		return handle(request, this.parser::chat, ChatChunkEncoder::new);
	}

	Mono<ServerResponse> completions(ServerRequest request) {
		return handle(request, this.parser::completion, TextChunkEncoder::new);
	}

	private Mono<ServerResponse> handle(ServerRequest request, Function<JsonNode, CompletionRequest> parse,
			EncoderFactory encoders) {
		String requestId = RequestIds.resolve(request);
		RequestRecorder recorder = this.metrics.request();
		// Admitted (or answered 503) before the response starts; the permit is released
		// when the generation ends, however it ends.
		return recorder.counted(this.bodies.readJson(request).map(parse).flatMap((completion) -> {
			recorder.deployment(completion.model()).accepted();
			return this.admission.admit(request, completion.model()).flatMap((permit) -> {
				ChunkEncoder encoder = encoders.create(requestId, this.clock.instant().getEpochSecond(),
						completion.model());
				Flux<GenerateChunk> chunks = permit
					.releaseOnEnd(this.inference.generate(completion.toProto(requestId), recorder));
				return completion.stream() ? stream(chunks, encoder, completion.includeUsage())
						: aggregate(chunks, encoder);
			});
		}));
	}

	private Mono<ServerResponse> stream(Flux<GenerateChunk> chunks, ChunkEncoder encoder, boolean includeUsage) {
		return ServerResponse.ok()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.cacheControl(CacheControl.noCache())
			.header("X-Accel-Buffering", "no")
			.body(StreamingBody.of(EventStream.of(chunks, encoder, includeUsage, this.errors)));
	}

	private Mono<ServerResponse> aggregate(Flux<GenerateChunk> chunks, ChunkEncoder encoder) {
		return chunks.collect(CompletionAccumulator::withText, CompletionAccumulator::add)
			.map((accumulator) -> encoder.completion(accumulator.build()))
			.flatMap((json) -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(json));
	}

	@FunctionalInterface
	private interface EncoderFactory {

		ChunkEncoder create(String requestId, long created, String model);

	}

}
