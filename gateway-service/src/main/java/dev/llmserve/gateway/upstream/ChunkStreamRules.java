package dev.llmserve.gateway.upstream;

import dev.llmserve.proto.GenerateChunk;
import io.grpc.Status;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Enforces the end of a {@code Generate} stream: an engine that finished with
 * {@code finish_reason=error}, or a stream that ends without any finish reason, is a
 * failure ({@code INTERNAL}), not a success that happens to be short.
 */
final class ChunkStreamRules {

	private ChunkStreamRules() {
	}

	static Flux<GenerateChunk> checked(Flux<GenerateChunk> chunks) {
		return Flux.defer(() -> {
			boolean[] finished = { false };
			// map, not handle: with context-propagation on the classpath Reactor restores
			// the request's thread locals (its trace scope) around every handle callback,
			// for every token.
			return chunks.map((chunk) -> {
				if ("error".equals(chunk.getFinishReason())) {
					throw Status.INTERNAL.withDescription("The engine failed while generating").asRuntimeException();
				}
				finished[0] |= !chunk.getFinishReason().isEmpty();
				return chunk;
			})
				.concatWith(
						Mono.defer(() -> finished[0] ? Mono.empty()
								: Mono.error(Status.INTERNAL
									.withDescription("The replica ended the stream without a finish reason")
									.asRuntimeException())));
		});
	}

}
