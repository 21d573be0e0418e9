package dev.llmserve.replica.engine;

/** Which program serves the model behind this replica. */
public enum EngineKind {

	/** The bundled simulator: a Python process speaking vLLM's API. */
	SIM,

	/** vLLM ({@code vllm serve}). */
	VLLM

}
