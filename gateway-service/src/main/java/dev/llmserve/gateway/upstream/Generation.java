package dev.llmserve.gateway.upstream;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import dev.llmserve.gateway.routing.Lease;
import dev.llmserve.gateway.routing.OutlierEjector.Failure;
import dev.llmserve.gateway.routing.Replica;
import dev.llmserve.gateway.tracing.RequestTrace;
import dev.llmserve.proto.GenerateChunk;
import dev.llmserve.proto.GenerateRequest;
import dev.llmserve.proto.Usage;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One request's generation across replicas. Before its first chunk, a call that fails
 * {@code UNAVAILABLE} or sends nothing within {@code firstChunkTimeout} is retried on
 * another replica (up to {@code maxAttempts}). After chunks were sent, a failed replica's
 * generation is continued on another one ({@link Continuation}, up to
 * {@code failover.maxResumes} times) and the pieces are stitched into one stream: the
 * usage of the last piece counts every token sent. A call that stops sending chunks for
 * {@code stallTimeout} counts as failed mid-stream. Every call's outcome goes to the
 * {@code OutlierEjector}. One per subscription; Reactor delivers its signals serially.
 */
final class Generation {

	private static final Logger logger = LoggerFactory.getLogger(Generation.class);

	private final GenerateRequest original;

	private final Upstream upstream;

	private final boolean resumable;

	private final RequestTrace trace;

	/** Replicas that failed this request, any phase: never tried again for it. */
	private final Set<String> failed = new HashSet<>();

	/** The text sent so far; kept only when the generation may be continued. */
	private final StringBuilder sent;

	private int tokensSent;

	private int resumes;

	private Replica current;

	/**
	 * What ended the last piece, while its continuation looks for a replica: if none is
	 * left, the client hears of that failure, not of the search.
	 */
	private Throwable interruption;

	Generation(GenerateRequest original, Upstream upstream, RequestTrace trace) {
		this.trace = trace;
		this.original = original;
		this.upstream = upstream;
		this.resumable = upstream.properties().failover().midStreamFor(original.getDeployment());
		this.sent = this.resumable ? new StringBuilder() : null;
	}

	Flux<GenerateChunk> chunks() {
		return piece(this.original, 0);
	}

	/** The chunks of one request, original or continuation, from whichever replica. */
	private Flux<GenerateChunk> piece(GenerateRequest request, int tokensBefore) {
		return Flux.defer(() -> {
			boolean[] received = { false };
			return attempt(request, 1, null).map((chunk) -> stitched(chunk, tokensBefore)).doOnNext((chunk) -> {
				received[0] = true;
				recordSent(chunk);
			}).onErrorResume((ex) -> received[0], this::afterChunks);
		});
	}

	private Flux<GenerateChunk> attempt(GenerateRequest request, int attempt, Throwable lastFailure) {
		return Flux.defer(() -> this.upstream.balancer()
			.pick(request.getDeployment(), this.failed)
			.map((lease) -> call(request, lease, attempt))
			.orElseGet(() -> Flux.error(noReplica(lastFailure))));
	}

	private Flux<GenerateChunk> call(GenerateRequest request, Lease lease, int attempt) {
		Replica replica = lease.replica();
		this.current = replica;
		this.upstream.metrics().routed(replica);
		UpstreamProperties properties = this.upstream.properties();
		ChunkDeadlines deadlines = new ChunkDeadlines(properties.firstChunkTimeout(), properties.stallTimeout());
		return ChunkStreamRules.checked(this.upstream.stub(replica, this.trace).generate(request))
			.doOnNext((chunk) -> deadlines.onChunk())
			.doOnRequest(deadlines::onRequest)
			.takeUntilOther(deadlines.expired())
			.concatWith(Mono.defer(() -> switch (deadlines.missed()) {
				case FIRST_CHUNK -> Mono.error(firstChunkTimeout(replica));
				case NEXT_CHUNK -> Mono.error(stalled(replica));
				case NONE -> Mono.empty();
			}))
			.doOnComplete(() -> this.upstream.ejector().onSuccess(lease))
			.doOnError((ex) -> report(lease, ex))
			.doOnCancel(() -> this.upstream.ejector().onAbandoned(lease))
			.doFinally((signal) -> lease.release())
			.onErrorResume((ex) -> !deadlines.hasChunk() && isRetryable(ex),
					(ex) -> retry(request, replica, attempt, ex));
	}

	private Flux<GenerateChunk> retry(GenerateRequest request, Replica replica, int attempt, Throwable failure) {
		this.failed.add(replica.id());
		if (attempt >= this.upstream.properties().maxAttempts()) {
			this.trace.log(() -> logger.warn("Request {}: {} failed before its first token ({}); no attempts left",
					request.getRequestId(), replica.id(), describe(failure)));
			return Flux.error(noReplica(failure));
		}
		this.trace.log(() -> logger.info("Request {}: {} failed before its first token ({}); trying another replica",
				request.getRequestId(), replica.id(), describe(failure)));
		this.upstream.metrics().retried(request.getDeployment());
		return attempt(request, attempt + 1, failure);
	}

	/** A piece failed after it had sent chunks: continue elsewhere, or give up. */
	private Flux<GenerateChunk> afterChunks(Throwable failure) {
		Replica replica = this.current;
		Throwable giveUp = isUnavailable(failure) ? lostMidStream(replica, failure) : failure;
		if (!this.resumable || this.resumes >= this.upstream.properties().failover().maxResumes()
				|| !isResumable(failure)) {
			return Flux.error(giveUp);
		}
		this.interruption = giveUp;
		this.failed.add(replica.id());
		this.resumes++;
		this.upstream.metrics().failedOver(this.original.getDeployment());
		GenerateRequest next = Continuation.of(this.original, this.sent.toString(), this.tokensSent);
		if (next == null) {
			this.trace.log(() -> logger.info(
					"Request {}: {} failed ({}) after the whole budget of {} tokens was sent; ending at length",
					this.original.getRequestId(), replica.id(), describe(failure), this.tokensSent));
			return Flux.just(GenerateChunk.newBuilder().setFinishReason("length").build());
		}
		this.trace.log(() -> logger.info(
				"Request {}: {} failed after {} tokens ({}); continuing on another replica (resume {} of {})",
				this.original.getRequestId(), replica.id(), this.tokensSent, describe(failure), this.resumes,
				this.upstream.properties().failover().maxResumes()));
		return piece(next, this.tokensSent);
	}

	private void recordSent(GenerateChunk chunk) {
		this.tokensSent += chunk.getTokenCount();
		if (this.sent != null) {
			this.sent.append(chunk.getText());
		}
	}

	/**
	 * A continuation's usage counts its prompt (the original plus the text sent before)
	 * and its own tokens; the client's counts the original prompt and every token sent.
	 * The original prompt's count is the continuation's minus the tokens sent before it:
	 * exact when the sent text tokenizes back into as many tokens.
	 */
	private static GenerateChunk stitched(GenerateChunk chunk, int tokensBefore) {
		if (tokensBefore == 0 || !chunk.hasUsage()) {
			return chunk;
		}
		Usage usage = chunk.getUsage();
		return chunk.toBuilder()
			.setUsage(Usage.newBuilder()
				.setPromptTokens(Math.max(0, usage.getPromptTokens() - tokensBefore))
				.setCompletionTokens(tokensBefore + usage.getCompletionTokens()))
			.build();
	}

	private void report(Lease lease, Throwable failure) {
		Status.Code code = Status.fromThrowable(failure).getCode();
		if (isFirstChunkTimeout(failure)) {
			this.upstream.ejector().onFailure(lease, Failure.FIRST_TOKEN_TIMEOUT);
		}
		else if (failure.getCause() instanceof ChunkDeadlines.StalledException) {
			this.upstream.ejector().onFailure(lease, Failure.STALLED);
		}
		else if (code == Status.Code.UNAVAILABLE) {
			this.upstream.ejector().onFailure(lease, Failure.UNREACHABLE);
		}
		else if (isClientError(code)) {
			// The replica answered, and correctly: the request was at fault.
			this.upstream.ejector().onSuccess(lease);
		}
		else {
			this.upstream.ejector().onFailure(lease, Failure.ERROR);
		}
	}

	private Throwable noReplica(Throwable lastFailure) {
		String deployment = this.original.getDeployment();
		if (lastFailure == null && this.interruption != null) {
			return this.interruption;
		}
		if (lastFailure == null) {
			return Status.UNAVAILABLE.withDescription("No healthy replica of `%s` is available".formatted(deployment))
				.asRuntimeException();
		}
		if (isFirstChunkTimeout(lastFailure)) {
			return lastFailure;
		}
		return Status.UNAVAILABLE
			.withDescription("No replica of `%s` could be reached (last failure: %s)".formatted(deployment,
					describe(lastFailure)))
			.withCause(lastFailure)
			.asRuntimeException();
	}

	private static StatusRuntimeException lostMidStream(Replica replica, Throwable failure) {
		return Status.UNAVAILABLE
			.withDescription("Replica %s became unavailable mid-stream (%s)".formatted(replica.id(), describe(failure)))
			.asRuntimeException();
	}

	private StatusRuntimeException firstChunkTimeout(Replica replica) {
		return Status.DEADLINE_EXCEEDED
			.withDescription("Replica %s sent no token within %s".formatted(replica.id(),
					format(this.upstream.properties().firstChunkTimeout())))
			.withCause(new TimeoutException("no first chunk"))
			.asRuntimeException();
	}

	private StatusRuntimeException stalled(Replica replica) {
		return Status.UNAVAILABLE
			.withDescription("Replica %s sent no token for %s".formatted(replica.id(),
					format(this.upstream.properties().stallTimeout())))
			.withCause(new ChunkDeadlines.StalledException())
			.asRuntimeException();
	}

	private static String format(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

	private static boolean isFirstChunkTimeout(Throwable failure) {
		return failure instanceof StatusRuntimeException && failure.getCause() instanceof TimeoutException;
	}

	/** Worth another replica before the first chunk. */
	private static boolean isRetryable(Throwable failure) {
		return isUnavailable(failure) || isFirstChunkTimeout(failure);
	}

	/**
	 * Worth continuing elsewhere: the replica or its engine failed, not the request, and
	 * not the request's own deadline.
	 */
	private static boolean isResumable(Throwable failure) {
		return switch (Status.fromThrowable(failure).getCode()) {
			case UNAVAILABLE, INTERNAL, UNKNOWN, ABORTED, CANCELLED, DATA_LOSS -> true;
			default -> false;
		};
	}

	private static boolean isClientError(Status.Code code) {
		return switch (code) {
			case INVALID_ARGUMENT, NOT_FOUND, OUT_OF_RANGE, FAILED_PRECONDITION, RESOURCE_EXHAUSTED, ALREADY_EXISTS,
					PERMISSION_DENIED, UNAUTHENTICATED ->
				true;
			default -> false;
		};
	}

	private static boolean isUnavailable(Throwable failure) {
		return Status.fromThrowable(failure).getCode() == Status.Code.UNAVAILABLE;
	}

	private static String describe(Throwable failure) {
		Status status = Status.fromThrowable(failure);
		return (status.getDescription() != null) ? status.getDescription() : status.getCode().name();
	}

}
