package dev.llmserve.worker.replicas;

import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import dev.llmserve.worker.gpus.GpuInventory;
import dev.llmserve.worker.replicas.ReplicaRequestException.Reason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AllocatorTests {

	private final GpuAllocator gpus = new GpuAllocator(new GpuInventory(List.of("0", "1", "2"), "configured"));

	@Test
	void aPortHeldByAReplicaIsNeverHandedOutAgain() {
		// The OS may offer a port again while the replica that got it is still starting.
		PortAllocator ports = new PortAllocator(supplying(5000, 5001, 5000, 5001, 5002, 5003));

		LaunchPorts first = ports.reserve();
		LaunchPorts second = ports.reserve();

		assertThat(first).isEqualTo(new LaunchPorts(5000, 5001));
		assertThat(second).isEqualTo(new LaunchPorts(5002, 5003));
	}

	@Test
	void aReleasedPortCanBeHandedOutAgain() {
		PortAllocator ports = new PortAllocator(supplying(5000, 5001, 5000, 5001));
		ports.release(ports.reserve());

		assertThat(ports.reserve()).isEqualTo(new LaunchPorts(5000, 5001));
	}

	@Test
	void portAllocationGivesUpWhenEveryOfferedPortIsHeld() {
		int[] calls = { 0 };
		PortAllocator ports = new PortAllocator(() -> (calls[0]++ == 1) ? 5001 : 5000);
		ports.reserve();

		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(ports::reserve)
			.withMessageContaining("No free loopback port");
	}

	@Test
	void gpusAreClaimedAndReleasedPerReplica() {
		this.gpus.claim("r1", List.of("0", "2"));
		this.gpus.claim("r2", List.of("1"));

		this.gpus.release("r1");

		assertThat(this.gpus.owners()).containsExactlyEntriesOf(Map.of("1", "r2"));
	}

	@Test
	void aGpuOfAnotherNodeIsAnInvalidArgument() {
		assertThatExceptionOfType(ReplicaRequestException.class)
			.isThrownBy(() -> this.gpus.claim("r1", List.of("0", "7")))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.INVALID))
			.withMessage("gpu_ids: [0, 7] (expected: ids among this worker's [0, 1, 2])");
	}

	@Test
	void noGpuOrARepeatedGpuIsAnInvalidArgument() {
		assertThatExceptionOfType(ReplicaRequestException.class).isThrownBy(() -> this.gpus.claim("r1", List.of()))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.INVALID));
		assertThatExceptionOfType(ReplicaRequestException.class)
			.isThrownBy(() -> this.gpus.claim("r1", List.of("1", "1")))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.INVALID));
	}

	@Test
	void aGpuInUseIsAFailedPreconditionAndClaimsNothing() {
		this.gpus.claim("r1", List.of("1"));

		assertThatExceptionOfType(ReplicaRequestException.class)
			.isThrownBy(() -> this.gpus.claim("r2", List.of("0", "1")))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.GPU_IN_USE));
		assertThat(this.gpus.owners()).doesNotContainKey("0");
	}

	private static IntSupplier supplying(int... ports) {
		int[] next = { 0 };
		return () -> ports[next[0]++];
	}

}
