package dev.llmserve.controller.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;

import dev.llmserve.proto.HeartbeatResponse;
import dev.llmserve.proto.ReactorWorkerRegistryGrpc;
import dev.llmserve.proto.ReactorWorkerRegistryGrpc.ReactorWorkerRegistryStub;
import dev.llmserve.proto.RegisterWorkerRequest;
import dev.llmserve.proto.RegisterWorkerResponse;
import dev.llmserve.proto.ReplicaSpec;
import dev.llmserve.proto.ReplicaState;
import dev.llmserve.proto.ReplicaStatus;
import dev.llmserve.proto.WorkerHeartbeat;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerRegistryGrpcServiceTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final ClusterState cluster = new ClusterState(new MutableClock());

	private Server server;

	private ManagedChannel channel;

	private ReactorWorkerRegistryStub registry;

	@BeforeEach
	void start() throws IOException {
		String name = UUID.randomUUID().toString();
		this.server = InProcessServerBuilder.forName(name)
			.directExecutor()
			.addService(new WorkerRegistryGrpcService(this.cluster, new ControllerRun("c-1"), Duration.ofMillis(1500)))
			.build()
			.start();
		this.channel = InProcessChannelBuilder.forName(name).directExecutor().build();
		this.registry = ReactorWorkerRegistryGrpc.newReactorStub(this.channel);
	}

	@AfterEach
	void stop() {
		this.channel.shutdownNow();
		this.server.shutdownNow();
	}

	@Test
	void registeringAnswersTheControllerRunAndTheHeartbeatInterval() {
		RegisterWorkerRequest request = RegisterWorkerRequest.newBuilder()
			.setWorkerId("w1")
			.setAddress("127.0.0.1:7001")
			.addGpuIds("0")
			.addReplicas(status("m-a"))
			.build();

		StepVerifier.create(this.registry.register(request))
			.expectNext(
					RegisterWorkerResponse.newBuilder().setControllerId("c-1").setHeartbeatIntervalMillis(1500).build())
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.cluster.replicas()).extracting(Replica::id, Replica::workerId)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("m-a", "w1"));
	}

	@Test
	void aHeartbeatOfAnUnknownWorkerAsksItToRegisterAgain() {
		StepVerifier.create(this.registry.heartbeat(WorkerHeartbeat.newBuilder().setWorkerId("w1").build()))
			.expectNext(HeartbeatResponse.newBuilder().setRegisterAgain(true).build())
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void aHeartbeatOfARegisteredWorkerReplacesItsReplicas() {
		this.registry
			.register(RegisterWorkerRequest.newBuilder().setWorkerId("w1").setAddress("127.0.0.1:7001").build())
			.block(TIMEOUT);

		StepVerifier
			.create(this.registry
				.heartbeat(WorkerHeartbeat.newBuilder().setWorkerId("w1").addReplicas(status("m-b")).build()))
			.expectNext(HeartbeatResponse.getDefaultInstance())
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.cluster.replicas()).extracting(Replica::id).containsExactly("m-b");
	}

	@Test
	void aMalformedReplicaDoesNotCostTheWorkerItsOtherReplicas() {
		this.registry
			.register(RegisterWorkerRequest.newBuilder().setWorkerId("w1").setAddress("127.0.0.1:7001").build())
			.block(TIMEOUT);

		this.registry
			.heartbeat(WorkerHeartbeat.newBuilder()
				.setWorkerId("w1")
				.addReplicas(status("m-b"))
				.addReplicas(ReplicaStatus.newBuilder().setState(ReplicaState.REPLICA_READY))
				.build())
			.block(TIMEOUT);

		assertThat(this.cluster.replicas()).extracting(Replica::id).containsExactly("m-b");
	}

	@Test
	void registeringWithoutAUsableAddressIsAnInvalidArgument() {
		StepVerifier
			.create(this.registry
				.register(RegisterWorkerRequest.newBuilder().setWorkerId("w1").setAddress("nowhere").build()))
			.expectErrorSatisfies((error) -> {
				assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
				assertThat(((StatusRuntimeException) error).getStatus().getDescription()).contains("host:port");
			})
			.verify(TIMEOUT);
		assertThat(this.cluster.workers()).isEmpty();
	}

	private static ReplicaStatus status(String id) {
		return ReplicaStatus.newBuilder()
			.setSpec(ReplicaSpec.newBuilder().setReplicaId(id).setDeployment("m").addGpuIds("0"))
			.setState(ReplicaState.REPLICA_READY)
			.setAddress("127.0.0.1:9101")
			.build();
	}

}
