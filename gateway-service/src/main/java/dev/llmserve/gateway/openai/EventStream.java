package dev.llmserve.gateway.openai;

import dev.llmserve.gateway.error.ApiErrorMapper;
import dev.llmserve.gateway.error.ApiErrors;
import dev.llmserve.gateway.shutdown.StreamDrain;
import dev.llmserve.proto.GenerateChunk;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Turns a generation into the text of its server-sent events, one string per upstream
 * chunk (so one write and one flush each). After the last chunk: the usage event when
 * asked for, then {@code [DONE]}. A failure before anything was sent propagates, so the
 * client gets a proper error status; a failure after that becomes an error event and
 * {@code [DONE]}. So does the end of the gateway's shutdown grace
 * ({@link StreamDrain#GRACE_ENDED} in the Reactor context), which also cancels the
 * generation upstream.
 */
final class EventStream {

	private EventStream() {
	}

	static Flux<String> of(Flux<GenerateChunk> chunks, ChunkEncoder encoder, boolean includeUsage,
			ApiErrorMapper errors) {
		return Flux.deferContextual((context) -> {
			State state = new State(encoder);
			Mono<Boolean> graceEnded = context.getOrDefault(StreamDrain.GRACE_ENDED, Mono.<Boolean>never());
			return chunks.takeUntilOther(graceEnded.doOnNext((ended) -> state.cut = true))
				// map and filter, not handle (or mapNotNull, which is handle): Reactor
				// restores the request's thread locals (its trace scope) around every
				// handle callback, for every token.
				.map(state::eventsOrEmpty)
				.filter((events) -> !events.isEmpty())
				.concatWith(Mono.defer(() -> state.end(includeUsage)))
				.onErrorResume((ex) -> state.started, (ex) -> Mono.just(ChunkEncoder.errorEvents(errors.map(ex))));
		});
	}

	/** Per-subscription state; Reactor delivers signals serially. */
	private static final class State {

		private final ChunkEncoder encoder;

		private final CompletionAccumulator usage = CompletionAccumulator.usageOnly();

		private boolean started;

		private volatile boolean cut;

		State(ChunkEncoder encoder) {
			this.encoder = encoder;
		}

		/** The chunk's events, or "" when it has none to send. */
		String eventsOrEmpty(GenerateChunk chunk) {
			this.usage.add(chunk);
			String events = this.encoder.events(chunk, !this.started);
			this.started |= events != null;
			return (events != null) ? events : "";
		}

		Mono<String> end(boolean includeUsage) {
			if (this.cut) {
				// Before anything was sent this propagates, and becomes a 503 status.
				return Mono.error(ApiErrors.streamEndedByShutdown().exception());
			}
			return Mono.just(
					includeUsage ? this.encoder.usageEvent(this.usage.build()) + ChunkEncoder.DONE : ChunkEncoder.DONE);
		}

	}

}
