package dev.llmserve.worker.health;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.salesforce.reactorgrpc.stub.ClientCalls;
import dev.llmserve.proto.LoadRequest;
import dev.llmserve.proto.ReactorInferenceGrpc;
import dev.llmserve.proto.ReplicaLoad;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import reactor.core.publisher.Mono;

/**
 * Asks a replica whether it serves (standard gRPC health, whole server) and, if it does,
 * what its load is ({@code Inference.GetLoad}). Each call has a deadline; the result
 * never errors.
 */
final class ReplicaProbe {

	private static final HealthCheckRequest WHOLE_SERVER = HealthCheckRequest.getDefaultInstance();

	private final ReplicaChannels channels;

	private final Duration healthTimeout;

	private final Duration loadTimeout;

	ReplicaProbe(ReplicaChannels channels, Duration healthTimeout, Duration loadTimeout) {
		this.channels = channels;
		this.healthTimeout = healthTimeout;
		this.loadTimeout = loadTimeout;
	}

	Mono<ProbeResult> probe(int grpcPort) {
		ManagedChannel channel = this.channels.channel(grpcPort);
		return check(channel)
			.flatMap((status) -> (status == ServingStatus.SERVING)
					? load(channel).map(ProbeResult::serving).defaultIfEmpty(ProbeResult.serving(null))
					: Mono.just(ProbeResult.notServing("health: " + status)))
			.onErrorResume((ex) -> {
				Status status = Status.fromThrowable(ex);
				if (status.getCode() == Status.Code.UNAVAILABLE) {
					// A replica still binding its port must not wait out the channel's
					// reconnect backoff.
					channel.resetConnectBackoff();
				}
				return Mono.just(ProbeResult.notServing("health: " + status.getCode()));
			});
	}

	private Mono<ServingStatus> check(ManagedChannel channel) {
		HealthGrpc.HealthStub stub = HealthGrpc.newStub(channel)
			.withDeadlineAfter(this.healthTimeout.toMillis(), TimeUnit.MILLISECONDS);
		return ClientCalls
			.<HealthCheckRequest, HealthCheckResponse>oneToOne(Mono.just(WHOLE_SERVER), stub::check,
					stub.getCallOptions())
			.map(HealthCheckResponse::getStatus);
	}

	private Mono<ReplicaLoad> load(ManagedChannel channel) {
		return Mono
			.defer(() -> ReactorInferenceGrpc.newReactorStub(channel)
				.withDeadlineAfter(this.loadTimeout.toMillis(), TimeUnit.MILLISECONDS)
				.getLoad(LoadRequest.getDefaultInstance()))
			.onErrorResume((ex) -> Mono.empty());
	}

}
