package dev.llmserve.loadgen.client;

import dev.llmserve.loadgen.workload.PreparedRequest;
import io.netty.buffer.ByteBuf;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClientResponse;

/**
 * One request's response: reads the body on the event loop as it arrives and builds its
 * result.
 */
final class Exchange {

	private final int target;

	private final PreparedRequest request;

	private final long startNanos = System.nanoTime();

	private final ResponseBodyParser parser;

	private byte[] scratch = new byte[4096];

	private int status;

	Exchange(int target, PreparedRequest request, boolean eventStream, StreamListener listener) {
		this.target = target;
		this.request = request;
		this.parser = eventStream ? ResponseBodyParser.forEventStream(this.startNanos, listener)
				: ResponseBodyParser.forPlainText(this.startNanos, listener);
	}

	Mono<RequestResult> read(HttpClientResponse response, ByteBufFlux body) {
		this.status = response.status().code();
		if (this.status != 200) {
			return body.aggregate()
				.asString()
				.defaultIfEmpty("")
				.map((text) -> result(Outcome.HTTP_STATUS, EventStreamParser.truncate(text)));
		}
		return body.doOnNext(this::onBuffer).then(Mono.fromCallable(this::ended));
	}

	private void onBuffer(ByteBuf buffer) {
		long now = System.nanoTime();
		int length = buffer.readableBytes();
		if (length > this.scratch.length) {
			this.scratch = new byte[Math.max(length, this.scratch.length * 2)];
		}
		buffer.getBytes(buffer.readerIndex(), this.scratch, 0, length);
		this.parser.onBytes(this.scratch, length, now);
	}

	private RequestResult ended() {
		Outcome outcome = this.parser.onEnd();
		String detail = switch (outcome) {
			case SUCCESS -> null;
			case ERROR_EVENT -> this.parser.errorDetail();
			case STREAM_BROKEN -> "the response ended before data: [DONE]";
			case EMPTY_STREAM -> "no chunk with choices";
			default -> outcome.label();
		};
		return result(outcome, detail);
	}

	RequestResult failed(Throwable failure) {
		return result(FailureClassifier.classify(failure), FailureClassifier.describe(failure));
	}

	private RequestResult result(Outcome outcome, String detail) {
		return new RequestResult(outcome, this.status, detail, this.startNanos, this.parser.chunkNanos(),
				this.parser.outputTokens(), this.request.inputTokens(), this.target);
	}

}
