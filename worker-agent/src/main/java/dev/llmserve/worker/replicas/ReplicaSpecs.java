package dev.llmserve.worker.replicas;

import java.util.Set;
import java.util.regex.Pattern;

import dev.llmserve.proto.ReplicaSpec;
import dev.llmserve.worker.replicas.ReplicaRequestException.Reason;

/** Checks a {@code ReplicaSpec} before anything is launched for it. */
final class ReplicaSpecs {

	static final Set<String> ENGINE_KINDS = Set.of("sim", "vllm");

	/** Ids and deployment names end up in process names and logger names. */
	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

	private ReplicaSpecs() {
	}

	static void validate(ReplicaSpec spec) {
		requireName("replica_id", spec.getReplicaId());
		requireName("deployment", spec.getDeployment());
		String kind = spec.getEngine().getKind();
		if (!ENGINE_KINDS.contains(kind)) {
			throw invalid("engine.kind: '%s' (expected: sim or vllm)".formatted(kind));
		}
		if (kind.equals("vllm") && spec.getEngine().getModel().isBlank()) {
			throw invalid("engine.model: '' (expected: the model vLLM serves)");
		}
	}

	private static void requireName(String field, String value) {
		if (!NAME.matcher(value).matches()) {
			throw invalid("%s: '%s' (expected: 1-128 letters, digits, '.', '_' or '-')".formatted(field, value));
		}
	}

	private static ReplicaRequestException invalid(String message) {
		return new ReplicaRequestException(Reason.INVALID, message);
	}

}
