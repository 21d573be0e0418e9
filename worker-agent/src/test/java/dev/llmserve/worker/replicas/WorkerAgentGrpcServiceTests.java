package dev.llmserve.worker.replicas;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.llmserve.proto.ListReplicasRequest;
import dev.llmserve.proto.ListReplicasResponse;
import dev.llmserve.proto.ReplicaState;
import dev.llmserve.proto.StartReplicaRequest;
import dev.llmserve.proto.StartReplicaResponse;
import dev.llmserve.proto.StopReplicaRequest;
import dev.llmserve.proto.WorkerAgentGrpc;
import dev.llmserve.worker.support.MutableClock;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.llmserve.worker.replicas.TestReplicas.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class WorkerAgentGrpcServiceTests {

	private final TestReplicas replicas = new TestReplicas(MutableClock.startingNow());

	private Server server;

	private ManagedChannel channel;

	@BeforeEach
	void serve() throws Exception {
		String name = InProcessServerBuilder.generateName();
		this.server = InProcessServerBuilder.forName(name)
			.directExecutor()
			.addService(new WorkerAgentGrpcService("worker-1", this.replicas.registry(), Duration.ofSeconds(30)))
			.build()
			.start();
		this.channel = InProcessChannelBuilder.forName(name).directExecutor().build();
	}

	@AfterEach
	void close() {
		this.channel.shutdownNow();
		this.server.shutdownNow();
	}

	@Test
	void startReplicaIsIdempotentPerReplicaId() {
		StartReplicaResponse first = agent().startReplica(start("r1", "0"));
		StartReplicaResponse again = agent().startReplica(start("r1", "0"));

		assertThat(first.getStatus().getState()).isEqualTo(ReplicaState.REPLICA_STARTING);
		assertThat(again).isEqualTo(first);
		assertThat(this.replicas.launches()).isEqualTo(1);
	}

	@Test
	void aGpuThatIsNotOursIsInvalidAndABusyOneAFailedPrecondition() {
		agent().startReplica(start("r1", "0"));

		assertThat(code(() -> agent().startReplica(start("r2", "9")))).isEqualTo(Status.Code.INVALID_ARGUMENT);
		assertThat(code(() -> agent().startReplica(start("r2", "0")))).isEqualTo(Status.Code.FAILED_PRECONDITION);
		assertThat(code(() -> agent().startReplica(start("r1", "1")))).isEqualTo(Status.Code.ALREADY_EXISTS);
	}

	@Test
	void stopReplicaDrainsIsIdempotentAndKnowsOnlyItsReplicas() {
		agent().startReplica(start("r1", "0"));

		StopReplicaRequest stop = StopReplicaRequest.newBuilder().setReplicaId("r1").setDrainTimeoutMillis(500).build();
		assertThat(agent().stopReplica(stop).getStatus().getState()).isEqualTo(ReplicaState.REPLICA_DRAINING);
		assertThat(agent().stopReplica(stop).getStatus().getState()).isEqualTo(ReplicaState.REPLICA_STOPPED);
		assertThat(this.replicas.process().stops()).hasSize(1);
		assertThat(code(() -> agent().stopReplica(StopReplicaRequest.newBuilder().setReplicaId("ghost").build())))
			.isEqualTo(Status.Code.NOT_FOUND);
		assertThat(code(() -> agent()
			.stopReplica(StopReplicaRequest.newBuilder().setReplicaId("r1").setDrainTimeoutMillis(-1).build())))
			.isEqualTo(Status.Code.INVALID_ARGUMENT);
	}

	@Test
	void listReplicasHasTheWorkerItsGpusAndEveryReplica() {
		agent().startReplica(start("r1", "1"));

		ListReplicasResponse list = agent().listReplicas(ListReplicasRequest.getDefaultInstance());

		assertThat(list.getWorkerId()).isEqualTo("worker-1");
		assertThat(list.getGpuIdsList()).containsExactly("0", "1");
		assertThat(list.getReplicasList()).singleElement()
			.satisfies((status) -> assertThat(status.getSpec().getGpuIdsList()).containsExactly("1"));
	}

	private WorkerAgentGrpc.WorkerAgentBlockingStub agent() {
		return WorkerAgentGrpc.newBlockingStub(this.channel).withDeadlineAfter(5, TimeUnit.SECONDS);
	}

	private static StartReplicaRequest start(String id, String... gpus) {
		return StartReplicaRequest.newBuilder().setSpec(spec(id, gpus)).build();
	}

	private static Status.Code code(Runnable call) {
		return assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(call::run)
			.actual()
			.getStatus()
			.getCode();
	}

}
