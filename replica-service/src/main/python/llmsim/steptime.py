"""How long one engine step takes on the simulated GPU (vllm-facts.md §7).

t = overhead + max((W + Σctx·kv) / (0.8·BW), 2·P·N_tok / (0.5·FLOPS))

A step is either bound by reading the weights and every scheduled sequence's KV cache, or by the
matmuls over all tokens scheduled in it; that is why one long prefill chunk slows down the next
token of every decoding sequence in the same batch.
"""

from .profiles import EngineProfile

# Bandwidth and compute are never reached in practice; these are the utilisations the
# calibration runs in the facts table came out at.
BANDWIDTH_UTILISATION = 0.8
COMPUTE_UTILISATION = 0.5

# What a "slow" fault multiplies when the profile itself takes no time per step.
INSTANT_SLOW_BASE_S = 0.001


class StepTimeModel:
    """Roofline step time for one profile; `instant` profiles return 0."""

    def __init__(self, profile: EngineProfile):
        self._instant = profile.instant
        self._overhead = profile.step_overhead_s
        self._bandwidth = BANDWIDTH_UTILISATION * profile.mem_bandwidth
        self._weights = profile.weight_bytes
        self._kv_bytes = profile.kv_bytes_per_token
        self._flops_per_token = 2.0 * profile.params / (COMPUTE_UTILISATION * profile.effective_flops)

    def seconds(self, num_tokens: int, context_tokens: int, slow_factor: float = 1.0) -> float:
        """Duration of a step that computes `num_tokens` over `context_tokens` of KV in total."""
        if self._instant:
            return INSTANT_SLOW_BASE_S * slow_factor if slow_factor > 1.0 else 0.0
        memory = (self._weights + context_tokens * self._kv_bytes) / self._bandwidth
        compute = num_tokens * self._flops_per_token
        return (self._overhead + max(memory, compute)) * slow_factor
