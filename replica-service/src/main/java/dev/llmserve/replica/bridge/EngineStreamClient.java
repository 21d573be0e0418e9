package dev.llmserve.replica.bridge;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmserve.proto.GenerateChunk;
import dev.llmserve.proto.GenerateRequest;
import dev.llmserve.replica.ReplicaProperties;
import io.grpc.Status;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Streams a generation from the engine: one HTTP request per {@code Generate} call, its
 * server-sent events turned into {@link GenerateChunk}s as they arrive. Cancelling the
 * returned {@link Flux} closes the HTTP connection, which makes the engine abort the
 * sequence and free its KV cache.
 */
public final class EngineStreamClient {

	/** Marks the arrival of the response headers, for the response timeout. */
	private static final Object HEADERS = new Object();

	private static final int MAX_ERROR_BODY_CHARS = 16 * 1024;

	private final Supplier<EngineClients.Lane> lanes;

	private final EngineRequests requests;

	private final ObjectMapper json;

	private final ReplicaProperties.Bridge config;

	/**
	 * @param lanes the client for a call, asked on the thread that starts the call
	 */
	EngineStreamClient(Supplier<EngineClients.Lane> lanes, EngineRequests requests, ObjectMapper json,
			ReplicaProperties.Bridge config) {
		this.lanes = lanes;
		this.requests = requests;
		this.json = json;
		this.config = config;
	}

	/** The generation's chunks; fails with a gRPC status (see {@link EngineErrors}). */
	public Flux<GenerateChunk> generate(GenerateRequest request) {
		return Mono.fromCallable(() -> this.requests.create(request))
			.flatMapMany(this::exchange)
			.onErrorMap(EngineErrors::translate);
	}

	private Flux<GenerateChunk> exchange(EngineRequest request) {
		EngineClients.Lane lane = this.lanes.get();
		return lane.client().headers((headers) -> {
			headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
				.set(HttpHeaderNames.ACCEPT, "text/event-stream");
			if (!request.requestId().isEmpty()) {
				headers.set("X-Request-Id", request.requestId());
			}
		})
			.post()
			.uri(request.path())
			.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(request.body())))
			.response((response, body) -> Flux.concat(Mono.just(HEADERS), read(response, body)))
			// The headers must come in time; the body may take as long as generation
			// takes.
			.transform((flux) -> FirstItemTimeout.apply(flux, this.config.responseTimeout(), this::noHeaders,
					Schedulers.parallel()))
			.ofType(GenerateChunk.class)
			.subscribeOn(lane.start(), false);
	}

	private Flux<GenerateChunk> read(HttpClientResponse response, ByteBufFlux body) {
		int status = response.status().code();
		if (status != 200) {
			return errorBody(body).flatMapMany((text) -> Flux.error(EngineErrors.forResponse(status, text, this.json)));
		}
		SseParser parser = new SseParser(this.config.maxEventBytes());
		ChunkAssembler assembler = new ChunkAssembler(this.json);
		int prefetch = this.config.prefetch();
		return body.asByteArray()
			.concatMapIterable(parser::feed, prefetch)
			.concatMapIterable(assembler::accept, prefetch)
			.concatWith(Flux.defer(() -> Flux.fromIterable(assembler.complete())));
	}

	private static Mono<String> errorBody(ByteBufFlux body) {
		return body.asString(StandardCharsets.UTF_8)
			.reduce(new StringBuilder(),
					(text, part) -> (text.length() < MAX_ERROR_BODY_CHARS) ? text.append(part) : text)
			.map(StringBuilder::toString)
			.defaultIfEmpty("");
	}

	private Throwable noHeaders() {
		return Status.UNAVAILABLE.withDescription("the engine sent no response within " + this.config.responseTimeout())
			.asRuntimeException();
	}

}
