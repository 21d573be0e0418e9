"""Calibrated engine profiles: a model on a GPU, plus the engine limits vLLM would pick for it.

Numbers follow vllm-facts.md §7 (a roofline model calibrated against published measurements).
"""

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class EngineProfile:
    """Everything the step-time model and the scheduler need to know about one engine."""

    name: str
    model_root: str             # the HF id vLLM would have loaded (the /v1/models "root")
    params: float               # parameter count P
    weight_bytes: float         # W = 2·P for fp16
    kv_bytes_per_token: int     # 2·layers·kv_heads·head_dim·2
    mem_bandwidth: float        # bytes/s
    effective_flops: float      # dense fp16 tensor FLOP/s; the model uses half of it
    step_overhead_s: float      # fixed per-step cost (scheduling, launch, sampling)
    num_gpu_blocks: int
    block_size: int
    max_model_len: int
    max_num_seqs: int
    max_num_batched_tokens: int
    enable_prefix_caching: bool = True
    instant: bool = False       # zero step time: the loop only yields between steps
    fixed_ttft_s: float | None = None
    fixed_itl_s: float | None = None

    @property
    def fixed_timing(self) -> bool:
        return self.fixed_ttft_s is not None or self.fixed_itl_s is not None

    def with_overrides(self, **overrides) -> "EngineProfile":
        given = {key: value for key, value in overrides.items() if value is not None}
        return replace(self, **given)


# TinyLlama-1.1B: 22 layers, 4 KV heads of 64 → 22,528 B/token. On an A10G (600 GB/s) this gives
# 5.6 ms for a B=1 decode step and ~113 ms for a 2048-token prefill chunk at 80 TFLOP/s effective.
TINYLLAMA_A10G = EngineProfile(
    name="tinyllama-a10g",
    model_root="TinyLlama/TinyLlama-1.1B-Chat-v1.0",
    params=1.1e9,
    weight_bytes=2.2e9,
    kv_bytes_per_token=22_528,
    mem_bandwidth=600e9,
    effective_flops=80e12,
    step_overhead_s=0.001,
    num_gpu_blocks=50_048,      # ≈16.8 GiB of KV at gpu_memory_utilization 0.9
    block_size=16,
    max_model_len=2048,
    max_num_seqs=256,
    max_num_batched_tokens=2048,
)

# Llama-3-8B: 32 layers, 8 KV heads of 128 → 131,072 B/token; ~35 ms per B=1 decode step and
# ≈3.1k prefill tokens/s. 1952 blocks is what vLLM reports for 8B fp16 on a 24 GB card.
LLAMA3_8B_A10G = EngineProfile(
    name="llama3-8b-a10g",
    model_root="meta-llama/Meta-Llama-3-8B-Instruct",
    params=8.03e9,
    weight_bytes=16.06e9,
    kv_bytes_per_token=131_072,
    mem_bandwidth=600e9,
    effective_flops=100e12,
    step_overhead_s=0.001,
    num_gpu_blocks=1952,
    block_size=16,
    max_model_len=8192,
    max_num_seqs=256,
    max_num_batched_tokens=2048,
)

# For tests and for measuring everything around the engine: steps take no time at all.
INSTANT = replace(
    TINYLLAMA_A10G,
    name="instant",
    model_root="llmserve/instant-sim",
    instant=True,
)

PROFILES = {profile.name: profile for profile in (INSTANT, TINYLLAMA_A10G, LLAMA3_8B_A10G)}
