package dev.llmserve.gateway.upstream;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.salesforce.reactorgrpc.stub.ReactorCallOptions;
import dev.llmserve.gateway.error.ApiErrors;
import dev.llmserve.gateway.metrics.GatewayMetrics;
import dev.llmserve.gateway.routing.Lease;
import dev.llmserve.gateway.routing.LeastLoadedBalancer;
import dev.llmserve.gateway.routing.Replica;
import dev.llmserve.gateway.routing.ReplicaStatsRegistry;
import dev.llmserve.gateway.routing.RoutingTable;
import dev.llmserve.gateway.routing.RoutingTableSource;
import dev.llmserve.proto.GenerateChunk;
import dev.llmserve.proto.GenerateRequest;
import dev.llmserve.proto.ReactorInferenceGrpc.ReactorInferenceStub;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Streams a generation from the least loaded healthy replica of its deployment. A call
 * that fails {@code UNAVAILABLE} before its first chunk is retried on another replica (up
 * to {@code maxAttempts} replicas); once a chunk has arrived, failures go to the caller.
 * Every call has a deadline and a first-chunk timeout, and cancelling the returned
 * {@code Flux} cancels the call.
 */
public final class InferenceClient {

	private static final Logger logger = LoggerFactory.getLogger(InferenceClient.class);

	/**
	 * Before the first table (the controller's first snapshot) the gateway cannot tell an
	 * unknown model from one it has not heard of yet: come back later, not 404.
	 */
	private static final Status NO_ROUTES_YET = Status.UNAVAILABLE
		.withDescription("The gateway has no routing table yet");

	private final RoutingTableSource source;

	private final LeastLoadedBalancer balancer;

	private final ReplicaStatsRegistry stats;

	private final ReplicaChannelRegistry channels;

	private final GatewayMetrics metrics;

	private final UpstreamProperties properties;

	public InferenceClient(RoutingTableSource source, LeastLoadedBalancer balancer, ReplicaStatsRegistry stats,
			ReplicaChannelRegistry channels, GatewayMetrics metrics, UpstreamProperties properties) {
		this.source = source;
		this.balancer = balancer;
		this.stats = stats;
		this.channels = channels;
		this.metrics = metrics;
		this.properties = properties;
	}

	/**
	 * The chunks of the generation. Fails with a 404 {@code ApiException} when no
	 * deployment serves the model, otherwise with a {@code StatusRuntimeException}: the
	 * replica's, or {@code UNAVAILABLE} when no replica can take it or the gateway has no
	 * routing table yet.
	 */
	public Flux<GenerateChunk> generate(GenerateRequest request) {
		String deployment = request.getDeployment();
		return Flux.defer(() -> {
			RoutingTable table = this.source.current();
			if (!table.contains(deployment)) {
				return Flux.error(this.source.isReady() ? ApiErrors.modelNotFound(deployment).exception()
						: NO_ROUTES_YET.asRuntimeException());
			}
			return this.metrics.instrument(deployment, attempt(request, Set.of(), null));
		}).limitRate(this.properties.prefetch());
	}

	private Flux<GenerateChunk> attempt(GenerateRequest request, Set<String> tried, Throwable lastFailure) {
		return Flux.defer(() -> this.balancer.pick(request.getDeployment(), tried)
			.map((lease) -> call(request, lease, tried))
			.orElseGet(() -> Flux.error(unavailable(request.getDeployment(), lastFailure))));
	}

	private Flux<GenerateChunk> call(GenerateRequest request, Lease lease, Set<String> tried) {
		Replica replica = lease.replica();
		boolean[] received = { false };
		return ChunkStreamRules.checked(stub(replica).generate(request))
			.timeout(Mono.delay(this.properties.firstChunkTimeout()), (chunk) -> Mono.never())
			.onErrorMap(TimeoutException.class, (ex) -> firstChunkTimeout(replica))
			.doOnNext((chunk) -> received[0] = true)
			.doFinally((signal) -> lease.release())
			.onErrorResume((ex) -> !received[0] && isUnavailable(ex), (ex) -> retry(request, replica, tried, ex))
			.onErrorMap((ex) -> received[0] && isUnavailable(ex), (ex) -> lostMidStream(replica, ex));
	}

	private Flux<GenerateChunk> retry(GenerateRequest request, Replica failed, Set<String> tried, Throwable failure) {
		this.stats.markUnreachable(failed.id());
		Set<String> nowTried = new HashSet<>(tried);
		nowTried.add(failed.id());
		if (nowTried.size() >= this.properties.maxAttempts()) {
			logger.warn("Request {}: {} unavailable ({}); no attempts left", request.getRequestId(), failed.id(),
					describe(failure));
			return Flux.error(unavailable(request.getDeployment(), failure));
		}
		logger.info("Request {}: {} unavailable ({}); trying another replica", request.getRequestId(), failed.id(),
				describe(failure));
		return attempt(request, Set.copyOf(nowTried), failure);
	}

	private ReactorInferenceStub stub(Replica replica) {
		int prefetch = this.properties.prefetch();
		return this.channels.stub(replica)
			.withDeadlineAfter(this.properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.withOption(ReactorCallOptions.CALL_OPTIONS_PREFETCH, prefetch)
			.withOption(ReactorCallOptions.CALL_OPTIONS_LOW_TIDE, Math.max(1, prefetch / 4));
	}

	private StatusRuntimeException lostMidStream(Replica replica, Throwable failure) {
		this.stats.markUnreachable(replica.id());
		return Status.UNAVAILABLE
			.withDescription("Replica %s became unavailable mid-stream (%s)".formatted(replica.id(), describe(failure)))
			.asRuntimeException();
	}

	private StatusRuntimeException firstChunkTimeout(Replica replica) {
		long millis = this.properties.firstChunkTimeout().toMillis();
		String limit = (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
		return Status.DEADLINE_EXCEEDED
			.withDescription("Replica %s sent no token within %s".formatted(replica.id(), limit))
			.asRuntimeException();
	}

	private static StatusRuntimeException unavailable(String deployment, Throwable lastFailure) {
		String message = (lastFailure != null)
				? "No replica of `%s` could be reached (last failure: %s)".formatted(deployment, describe(lastFailure))
				: "No healthy replica of `%s` is available".formatted(deployment);
		return Status.UNAVAILABLE.withDescription(message).withCause(lastFailure).asRuntimeException();
	}

	private static boolean isUnavailable(Throwable failure) {
		return Status.fromThrowable(failure).getCode() == Status.Code.UNAVAILABLE;
	}

	private static String describe(Throwable failure) {
		Status status = Status.fromThrowable(failure);
		return (status.getDescription() != null) ? status.getDescription() : status.getCode().name();
	}

}
