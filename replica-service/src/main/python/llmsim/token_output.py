"""The output side of a step: sample one token per sequence whose prompt is fully computed,
decide whether it finished, and hand the text to the sequence's sink (stream or collector).

This is the hot path of the simulator (one call per token), so it works on pre-escaped bytes and
touches nothing it does not need.
"""

import json

from .metrics import EngineMetrics
from .profiles import EngineProfile
from .scheduler import Scheduler, StepPlan
from .sequence import Sequence
from .vocab import EOS_ID, TOKEN_JSON, TOKEN_TEXT


class OutputStepper:
    """Applies a finished step's results to its sequences."""

    def __init__(self, profile: EngineProfile, scheduler: Scheduler, metrics: EngineMetrics, on_finish):
        self._scheduler = scheduler
        self._kv = scheduler.kv
        self._metrics = metrics
        self._on_finish = on_finish
        self._max_model_len = profile.max_model_len
        self._itl = profile.fixed_itl_s or profile.fixed_ttft_s or 0.0

    def apply(self, plan: StepPlan, now: float) -> None:
        emitted = finished = 0
        cache_blocks = self._kv.prefix_caching
        for seq, _ in plan.scheduled:
            if seq.abort_requested:
                continue
            if cache_blocks:
                self._kv.cache_full_blocks(seq)
            if seq.num_computed < seq.num_tokens or seq.due > now:
                continue  # chunked prefill in progress: vLLM sends nothing for it
            emitted += 1
            finished += self._emit_next(seq, now)
        self._metrics.generation_tokens += emitted
        if finished:
            self._scheduler.drop_finished()

    def _emit_next(self, seq: Sequence, now: float) -> bool:
        token = self._sample(seq)
        self._observe_timing(seq, now)
        reason = self._finish_reason(seq, token)
        if seq.stop_matcher is None:
            text = TOKEN_JSON[token]
        else:
            text, reason = self._text_with_stops(seq, token, reason)
        if self._itl:
            seq.due = max(seq.due + self._itl, now)
        if reason is None:
            seq.sink.token(seq, text)
            return False
        seq.finish_reason = reason
        seq.sink.finish(seq, text)
        self._metrics.finished(reason, now - seq.arrival, seq.prompt_len, seq.num_output)
        self._on_finish(seq)
        return True

    @staticmethod
    def _sample(seq: Sequence) -> int:
        if seq.eos_at is not None and seq.num_output + 1 >= seq.eos_at:
            token = EOS_ID
        else:
            token = seq.generator.next_token()
        seq.token_ids.append(token)
        return token

    def _observe_timing(self, seq: Sequence, now: float) -> None:
        if seq.first_token_at is None:
            seq.first_token_at = now
            self._metrics.first_token(seq.prompt_len, now - seq.arrival, seq.first_scheduled - seq.arrival)
        else:
            self._metrics.itl.observe(now - seq.last_token_at)
        seq.last_token_at = now

    def _finish_reason(self, seq: Sequence, token: int) -> str | None:
        if token == EOS_ID:
            return "stop"
        if seq.num_output >= seq.max_tokens or seq.num_tokens >= self._max_model_len:
            return "length"
        return None

    @staticmethod
    def _text_with_stops(seq: Sequence, token: int, reason: str | None) -> tuple[bytes, str | None]:
        matcher = seq.stop_matcher
        text = matcher.feed(TOKEN_TEXT[token])
        if matcher.matched is not None:
            seq.stop_reason = matcher.matched
            reason = "stop"
        elif reason is not None:
            text += matcher.flush()
        return json.dumps(text)[1:-1].encode(), reason
