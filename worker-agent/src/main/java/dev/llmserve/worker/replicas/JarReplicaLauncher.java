package dev.llmserve.worker.replicas;

import java.io.IOException;

import dev.llmserve.process.ManagedProcess;
import dev.llmserve.process.ProcessSpec;
import dev.llmserve.proto.ReplicaSpec;

/**
 * Runs the replica-service jar as a supervised child: it leads its own process group, its
 * output goes to our log under {@code llmserve.child.replica.<id>}, and it is told our
 * pid so that it exits if this worker dies, even by SIGKILL.
 */
final class JarReplicaLauncher implements ReplicaLauncher {

	private final ReplicaCommandLine commandLine;

	JarReplicaLauncher(ReplicaCommandLine commandLine) {
		this.commandLine = commandLine;
	}

	@Override
	public ReplicaProcess launch(ReplicaSpec spec, LaunchPorts ports, int restarts) throws IOException {
		ProcessSpec process = ProcessSpec.of("replica " + spec.getReplicaId(),
				this.commandLine.command(spec, ports, restarts));
		return new ManagedReplicaProcess(ManagedProcess.start(process));
	}

}
