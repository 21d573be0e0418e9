"""One request as the engine sees it: tokens, progress, KV blocks, timing and where output goes."""

import itertools

from .stop_strings import StopStringMatcher
from .textgen import TextGenerator

WAITING, RUNNING, PREEMPTED, FINISHED = "waiting", "running", "preempted", "finished"
_arrival_order = itertools.count()


class Sequence:
    """Mutable engine state of one request (vLLM's `Request`)."""

    __slots__ = (
        "request_id", "order", "token_ids", "prompt_len", "num_computed", "max_tokens",
        "eos_at", "generator", "stop_matcher", "sink", "status", "blocks", "num_hashed_blocks",
        "block_hashes", "arrival", "first_scheduled", "first_token_at", "last_token_at",
        "due", "abort_requested", "disconnected_at", "num_preemptions", "num_cached_tokens",
        "finish_reason", "stop_reason", "counted_prompt",
    )

    def __init__(self, request_id: str, prompt_ids: list[int], max_tokens: int,
                 eos_at: int | None, generator: TextGenerator, stops: list[str], sink, arrival: float):
        self.request_id = request_id
        self.order = next(_arrival_order)
        self.token_ids = list(prompt_ids)
        self.prompt_len = len(prompt_ids)
        self.num_computed = 0
        self.max_tokens = max_tokens
        self.eos_at = eos_at            # output length at which the "model" samples EOS; None: ignore_eos
        self.generator = generator
        self.stop_matcher = StopStringMatcher(stops) if stops else None
        self.sink = sink
        self.status = WAITING
        self.blocks: list[int] = []
        self.num_hashed_blocks = 0
        self.block_hashes: list[int] = []   # chained hashes of this sequence's full blocks, in order
        self.arrival = arrival
        self.first_scheduled: float | None = None
        self.first_token_at: float | None = None
        self.last_token_at: float | None = None
        self.due = 0.0                  # fixed-timing mode: when this sequence's next token is due
        self.abort_requested = False
        self.disconnected_at: float | None = None
        self.num_preemptions = 0
        self.num_cached_tokens = 0
        self.finish_reason: str | None = None
        self.stop_reason: str | None = None
        self.counted_prompt = False

    @property
    def num_tokens(self) -> int:
        return len(self.token_ids)

    @property
    def num_output(self) -> int:
        return len(self.token_ids) - self.prompt_len

    @property
    def output_ids(self) -> list[int]:
        return self.token_ids[self.prompt_len:]
