package dev.llmserve.gateway.upstream;

import java.util.concurrent.TimeUnit;

import com.salesforce.reactorgrpc.stub.ReactorCallOptions;
import dev.llmserve.gateway.routing.LeastLoadedBalancer;
import dev.llmserve.gateway.routing.OutlierEjector;
import dev.llmserve.gateway.routing.Replica;
import dev.llmserve.gateway.tracing.RequestTrace;
import dev.llmserve.proto.ReactorInferenceGrpc.ReactorInferenceStub;

/**
 * What every {@link Generation} needs to call replicas: where to go, how to call, whom to
 * tell how it went.
 */
record Upstream(LeastLoadedBalancer balancer, ReplicaChannelRegistry channels, OutlierEjector ejector,
		UpstreamMetrics metrics, UpstreamProperties properties) {

	/** The replica's stub with the call deadline and flow-control window set. */
	ReactorInferenceStub stub(Replica replica, RequestTrace trace) {
		int prefetch = this.properties.prefetch();
		ReactorInferenceStub stub = this.channels.stub(replica);
		if (trace.interceptor() != null) {
			stub = stub.withInterceptors(trace.interceptor());
		}
		return stub.withDeadlineAfter(this.properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.withOption(ReactorCallOptions.CALL_OPTIONS_PREFETCH, prefetch)
			.withOption(ReactorCallOptions.CALL_OPTIONS_LOW_TIDE, Math.max(1, prefetch / 4));
	}

}
