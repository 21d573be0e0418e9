package dev.llmserve.worker.replicas;

import java.io.IOException;

import dev.llmserve.proto.ReplicaSpec;

/** Starts replica processes. Blocks, so call it off event loops. */
interface ReplicaLauncher {

	ReplicaProcess launch(ReplicaSpec spec, LaunchPorts ports, int restarts) throws IOException;

}
