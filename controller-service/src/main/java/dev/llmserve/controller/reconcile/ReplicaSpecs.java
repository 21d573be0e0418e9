package dev.llmserve.controller.reconcile;

import java.util.List;

import dev.llmserve.controller.deployments.Deployment;
import dev.llmserve.proto.EngineSpec;
import dev.llmserve.proto.ReplicaSpec;

/** What a worker is asked to run for a new replica. */
final class ReplicaSpecs {

	private ReplicaSpecs() {
	}

	static ReplicaSpec of(String replicaId, Deployment deployment, List<String> gpuIds) {
		EngineSpec engine = EngineSpec.newBuilder()
			.setKind(deployment.engine().kind())
			.setModel(deployment.model())
			.setProfile(deployment.engine().profile())
			.addAllArgs(deployment.engine().args())
			.build();
		return ReplicaSpec.newBuilder()
			.setReplicaId(replicaId)
			.setDeployment(deployment.name())
			.setEngine(engine)
			.addAllGpuIds(gpuIds)
			.build();
	}

}
