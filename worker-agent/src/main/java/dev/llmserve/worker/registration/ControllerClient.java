package dev.llmserve.worker.registration;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.llmserve.proto.HeartbeatResponse;
import dev.llmserve.proto.ReactorWorkerRegistryGrpc;
import dev.llmserve.proto.ReactorWorkerRegistryGrpc.ReactorWorkerRegistryStub;
import dev.llmserve.proto.RegisterWorkerRequest;
import dev.llmserve.proto.RegisterWorkerResponse;
import dev.llmserve.proto.WorkerHeartbeat;
import io.grpc.ManagedChannel;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;

/**
 * Calls the controller's {@code WorkerRegistry} over one long-lived channel, each call
 * with a deadline.
 */
final class ControllerClient implements DisposableBean {

	private final ManagedChannel channel;

	private final ReactorWorkerRegistryStub stub;

	private final Duration callTimeout;

	ControllerClient(ManagedChannel channel, Duration callTimeout) {
		this.channel = channel;
		this.stub = ReactorWorkerRegistryGrpc.newReactorStub(channel);
		this.callTimeout = callTimeout;
	}

	Mono<RegisterWorkerResponse> register(RegisterWorkerRequest request) {
		return Mono.defer(() -> withDeadline().register(request)).doOnError((ex) -> reconnectNow());
	}

	Mono<HeartbeatResponse> heartbeat(WorkerHeartbeat heartbeat) {
		return Mono.defer(() -> withDeadline().heartbeat(heartbeat)).doOnError((ex) -> reconnectNow());
	}

	private ReactorWorkerRegistryStub withDeadline() {
		return this.stub.withDeadlineAfter(this.callTimeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * After a failure the channel would wait out its own reconnect backoff (up to two
	 * minutes); our retries have their own backoff, so the next call may connect at once.
	 */
	private void reconnectNow() {
		this.channel.resetConnectBackoff();
	}

	@Override
	public void destroy() throws InterruptedException {
		this.channel.shutdownNow().awaitTermination(1, TimeUnit.SECONDS);
	}

}
