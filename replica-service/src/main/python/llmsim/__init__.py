"""llmserve engine simulator: a stdlib-only model of a vLLM server (API, scheduler, KV cache, timing)."""

# The vLLM release whose API shapes (nested error bodies, V1 metrics) the simulator reproduces.
VLLM_VERSION = "0.11.0"
