package dev.llmserve.replica.grpc;

import java.util.concurrent.TimeUnit;

import dev.llmserve.proto.GenerateChunk;
import dev.llmserve.proto.GenerateRequest;
import dev.llmserve.proto.LoadRequest;
import dev.llmserve.proto.ReactorInferenceGrpc;
import dev.llmserve.proto.ReplicaLoad;
import dev.llmserve.replica.bridge.EngineStreamClient;
import dev.llmserve.replica.load.InFlightRequests;
import dev.llmserve.replica.load.ReplicaLoadRegistry;
import io.grpc.Status;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The replica's {@code Inference} service: streams generations from the engine and
 * reports the replica's load.
 */
final class InferenceGrpcService extends ReactorInferenceGrpc.InferenceImplBase {

	private static final Logger logger = LoggerFactory.getLogger(InferenceGrpcService.class);

	private final String deployment;

	private final EngineStreamClient engine;

	private final EngineExitGuard exitGuard;

	private final InFlightRequests inFlight;

	private final ReplicaLoadRegistry load;

	private final Timer generateDuration;

	InferenceGrpcService(String deployment, EngineStreamClient engine, EngineExitGuard exitGuard,
			InFlightRequests inFlight, ReplicaLoadRegistry load, Timer generateDuration) {
		this.generateDuration = generateDuration;
		this.deployment = deployment;
		this.engine = engine;
		this.exitGuard = exitGuard;
		this.inFlight = inFlight;
		this.load = load;
	}

	@Override
	public Flux<GenerateChunk> generate(GenerateRequest request) {
		return this.inFlight.track(Flux.defer(() -> {
			long start = System.nanoTime();
			logger.debug("Generate {} for {}", request.getRequestId(), this.deployment);
			checkDeployment(request);
			this.exitGuard.checkReady();
			return this.exitGuard.guard(this.engine.generate(request))
				.doFinally((signal) -> this.generateDuration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
		}));
	}

	@Override
	public Mono<ReplicaLoad> getLoad(LoadRequest request) {
		return Mono.fromSupplier(this.load::snapshot);
	}

	private void checkDeployment(GenerateRequest request) {
		String requested = request.getDeployment();
		if (!requested.isEmpty() && !requested.equals(this.deployment)) {
			throw Status.NOT_FOUND
				.withDescription("deployment: %s (expected: %s, the one this replica serves)".formatted(requested,
						this.deployment))
				.asRuntimeException();
		}
	}

}
