package dev.llmserve.worker.replicas;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import dev.llmserve.proto.EngineSpec;
import dev.llmserve.proto.ReplicaSpec;
import dev.llmserve.worker.gpus.GpuInventory;
import reactor.core.scheduler.Schedulers;

/**
 * A registry over fake processes, with two GPUs ("0", "1"), that spawns and stops
 * processes synchronously, for tests of this package and of the ones that use it.
 */
public final class TestReplicas {

	public static final String HOST = "10.0.0.7";

	public static final Duration STOP_GRACE = Duration.ofSeconds(5);

	private final FakeReplicaLauncher launcher = new FakeReplicaLauncher();

	private final ReplicaRegistry registry;

	private final PortAllocator ports;

	private final GpuAllocator gpus = new GpuAllocator(new GpuInventory(List.of("0", "1"), "configured"));

	public TestReplicas(Clock clock) {
		this(clock, sequentialPorts(20000));
	}

	public TestReplicas(Clock clock, IntSupplier freePorts) {
		this.ports = new PortAllocator(freePorts);
		this.registry = new ReplicaRegistry(this.gpus, this.ports,
				new ReplicaProcesses(this.launcher, Schedulers.immediate(), STOP_GRACE), HOST, clock);
	}

	public static ReplicaSpec spec(String id, String... gpuIds) {
		return ReplicaSpec.newBuilder()
			.setReplicaId(id)
			.setDeployment("tinyllama")
			.setEngine(EngineSpec.newBuilder().setKind("sim").setProfile("instant"))
			.addAllGpuIds(List.of(gpuIds))
			.build();
	}

	public static IntSupplier sequentialPorts(int first) {
		AtomicInteger next = new AtomicInteger(first);
		return next::getAndIncrement;
	}

	public ReplicaRegistry registry() {
		return this.registry;
	}

	/** Starts a replica and answers the process launched for it. */
	public FakeReplicaProcess start(ReplicaSpec spec) {
		this.registry.start(spec).block(Duration.ofSeconds(5));
		return process();
	}

	/** Stops a replica as {@code StopReplica} does. */
	public void stop(String replicaId) {
		this.registry.stop(replicaId, Duration.ofSeconds(1)).block(Duration.ofSeconds(5));
	}

	/** The process of the latest launch. */
	public FakeReplicaProcess process() {
		return this.launcher.last().process();
	}

	public int launches() {
		return this.launcher.launched().size();
	}

	FakeReplicaLauncher launcher() {
		return this.launcher;
	}

	PortAllocator ports() {
		return this.ports;
	}

	GpuAllocator gpus() {
		return this.gpus;
	}

}
