package dev.llmserve.worker.replicas;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import dev.llmserve.proto.ReplicaSpec;

/** Launches fake processes and remembers each launch. */
final class FakeReplicaLauncher implements ReplicaLauncher {

	record Launched(ReplicaSpec spec, LaunchPorts ports, int restarts, FakeReplicaProcess process) {
	}

	private final AtomicLong pids = new AtomicLong(1000);

	private final List<Launched> launched = new CopyOnWriteArrayList<>();

	private volatile IOException failure;

	@Override
	public ReplicaProcess launch(ReplicaSpec spec, LaunchPorts ports, int restarts) throws IOException {
		if (this.failure != null) {
			throw this.failure;
		}
		FakeReplicaProcess process = new FakeReplicaProcess(this.pids.incrementAndGet());
		this.launched.add(new Launched(spec, ports, restarts, process));
		return process;
	}

	/** Every launch from now on fails with {@code failure}. */
	void failWith(IOException failure) {
		this.failure = failure;
	}

	List<Launched> launched() {
		return List.copyOf(this.launched);
	}

	Launched last() {
		return this.launched.get(this.launched.size() - 1);
	}

}
