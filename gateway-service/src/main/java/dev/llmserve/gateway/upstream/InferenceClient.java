package dev.llmserve.gateway.upstream;

import dev.llmserve.gateway.error.ApiErrors;
import dev.llmserve.gateway.metrics.GatewayMetrics;
import dev.llmserve.gateway.metrics.RequestRecorder;
import dev.llmserve.gateway.routing.LeastLoadedBalancer;
import dev.llmserve.gateway.routing.OutlierEjector;
import dev.llmserve.gateway.routing.RoutingTable;
import dev.llmserve.gateway.routing.RoutingTableSource;
import dev.llmserve.gateway.tracing.RequestTraces;
import dev.llmserve.proto.GenerateChunk;
import dev.llmserve.proto.GenerateRequest;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;

/**
 * Streams a generation from the least loaded healthy replica of its deployment, moving it
 * to another replica when one fails: before the first chunk invisibly (a retry), after it
 * by continuing the generation elsewhere ({@link Generation}). Every call has a deadline
 * and a first-chunk timeout, and cancelling the returned {@code Flux} cancels the call.
 */
public final class InferenceClient {

	/**
	 * Before the first table (the controller's first snapshot) the gateway cannot tell an
	 * unknown model from one it has not heard of yet: come back later, not 404.
	 */
	private static final Status NO_ROUTES_YET = Status.UNAVAILABLE
		.withDescription("The gateway has no routing table yet");

	private final RoutingTableSource source;

	private final GatewayMetrics metrics;

	private final Upstream upstream;

	private final RequestTraces traces;

	public InferenceClient(RoutingTableSource source, LeastLoadedBalancer balancer, OutlierEjector ejector,
			ReplicaChannelRegistry channels, GatewayMetrics metrics, MeterRegistry registry,
			UpstreamProperties properties, RequestTraces traces) {
		this.traces = traces;
		this.source = source;
		this.metrics = metrics;
		this.upstream = new Upstream(balancer, channels, ejector, new UpstreamMetrics(registry), properties);
	}

	/**
	 * The chunks of the generation. Fails with a 404 {@code ApiException} when no
	 * deployment serves the model, otherwise with a {@code StatusRuntimeException}: the
	 * replica's, {@code DEADLINE_EXCEEDED} when no replica tried sent a first token in
	 * time, or {@code UNAVAILABLE} when no replica can take it or the gateway has no
	 * routing table yet.
	 */
	public Flux<GenerateChunk> generate(GenerateRequest request) {
		return generate(request, this.metrics.request());
	}

	/** As {@link #generate(GenerateRequest)}, measured by the request's recorder. */
	public Flux<GenerateChunk> generate(GenerateRequest request, RequestRecorder recorder) {
		String deployment = request.getDeployment();
		return Flux.deferContextual((context) -> {
			RoutingTable table = this.source.current();
			if (!table.contains(deployment)) {
				return recorder.counted(Flux.error(this.source.isReady()
						? ApiErrors.modelNotFound(deployment).exception() : NO_ROUTES_YET.asRuntimeException()));
			}
			return recorder.deployment(deployment)
				.generation(new Generation(request, this.upstream, this.traces.of(context)).chunks());
		}).limitRate(this.upstream.properties().prefetch());
	}

}
