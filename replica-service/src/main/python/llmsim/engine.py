"""The engine step loop: schedule a batch, let the step's simulated time pass, emit its tokens.

One asyncio task drives every request, like vLLM's EngineCore busy loop. Timing comes either from
the roofline (`steptime`), or in benchmark mode from fixed per-request TTFT and ITL. Tokens of a
step are released when its deadline passes; deadlines are chained while the engine stays busy, so
the simulated clock does not drift with event-loop jitter.
"""

import asyncio
import time
from collections import deque
from dataclasses import dataclass, field

from .kvcache import KvCache
from .metrics import EngineMetrics
from .profiles import EngineProfile
from .scheduler import Scheduler, StepPlan
from .sequence import FINISHED, Sequence
from .steptime import StepTimeModel
from .token_output import OutputStepper

# A step may start at the previous step's deadline (no drift) only if the loop got back to it
# this soon; later than that the engine was idle or starved, and the clock restarts from now.
_CHAIN_SLACK_S = 0.005
_RECENT_ABORTS = 1000


@dataclass
class EngineStats:
    requests_total: int = 0
    completed: int = 0
    aborted: int = 0
    steps: int = 0
    recent_aborts: deque = field(default_factory=lambda: deque(maxlen=_RECENT_ABORTS))


class Engine:
    """Accepts sequences, runs the step loop, and reports finished ones to `listeners`."""

    def __init__(self, profile: EngineProfile, metrics: EngineMetrics, faults):
        self.profile = profile
        self.kv = KvCache(profile.num_gpu_blocks, profile.block_size, profile.enable_prefix_caching)
        self.scheduler = Scheduler(profile, self.kv)
        self.metrics = metrics
        self.faults = faults
        self.stats = EngineStats()
        self.listeners: list = []   # called with each sequence that leaves the engine
        self._step_time = StepTimeModel(profile)
        self._outputs = OutputStepper(profile, self.scheduler, metrics, self._finish)
        self._aborts: list[Sequence] = []
        self._waiter: asyncio.Future | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def submit(self, seq: Sequence) -> None:
        self.stats.requests_total += 1
        self.scheduler.add(seq)
        self.wake()

    def abort(self, seq: Sequence) -> None:
        """Client went away: the sequence leaves the engine at the start of the next step."""
        if seq.abort_requested or seq.status == FINISHED:
            return
        seq.abort_requested = True
        seq.disconnected_at = time.time()
        self._aborts.append(seq)
        self.wake()

    def wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        chained_from = None
        while True:
            self.process_aborts()
            if self.faults.hang or not self.scheduler.has_work():
                chained_from = None
                await self._wait(None)
            elif self.profile.fixed_timing:
                await self._fixed_step()
            else:
                chained_from = await self._roofline_step(chained_from)

    def begin_step(self, now: float) -> StepPlan:
        """Decide the batch of the next step (public so that tests can step the engine by hand)."""
        self.stats.steps += 1
        plan = self.scheduler.schedule(now)
        if not plan.scheduled and not self.scheduler.running and self.scheduler.waiting:
            self._fail(self.scheduler.waiting[0], "The request does not fit into the KV cache.")
        return plan

    def end_step(self, plan: StepPlan, now: float) -> None:
        """The step's simulated time has passed: sample and emit its tokens."""
        self._outputs.apply(plan, now)

    async def _roofline_step(self, chained_from: float | None) -> float:
        now = self._loop.time()
        plan = self.begin_step(now)
        duration = self._step_time.seconds(plan.num_tokens, plan.context_tokens, self.faults.slow_factor)
        start = chained_from if chained_from is not None and now - chained_from < _CHAIN_SLACK_S else now
        deadline = start + duration
        if deadline > now:
            await self._wait(deadline, interruptible=False)
        else:
            await asyncio.sleep(0)  # instant profile: let the event loop move the bytes
        self.end_step(plan, self._loop.time())
        return deadline

    async def _fixed_step(self) -> None:
        """Benchmark mode: each sequence has its own clock (first token after TTFT, then every ITL)."""
        now = self._loop.time()
        self.end_step(self.begin_step(now), now)
        next_due = min((seq.due for seq in self.scheduler.running), default=None)
        if next_due is None or next_due > now:
            await self._wait(next_due)
        else:
            await asyncio.sleep(0)

    async def _wait(self, deadline: float | None, interruptible: bool = True) -> None:
        waiter = self._loop.create_future()
        if interruptible:
            self._waiter = waiter
        timer = self._loop.call_at(deadline, _resolve, waiter) if deadline is not None else None
        try:
            await waiter
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()

    def process_aborts(self) -> None:
        if not self._aborts:
            return
        aborts, self._aborts = self._aborts, []
        for seq in aborts:
            if seq.status == FINISHED:
                continue
            self.scheduler.remove(seq)
            seq.finish_reason = "abort"
            self.stats.aborted += 1
            self.metrics.aborted += 1
            self.stats.recent_aborts.append({"request_id": seq.request_id,
                                             "disconnected_at": seq.disconnected_at,
                                             "aborted_at": time.time()})
            self._leave(seq)

    def _fail(self, seq: Sequence, message: str) -> None:
        self.scheduler.remove(seq)
        seq.finish_reason = "error"
        self.metrics.success["error"] += 1
        seq.sink.fail(seq, message)
        self._leave(seq)

    def _finish(self, seq: Sequence) -> None:
        """A sequence reached stop or length: its blocks go back, the batch shrinks after the step."""
        self.kv.free(seq)
        self.stats.completed += 1
        self._leave(seq)

    def _leave(self, seq: Sequence) -> None:
        seq.status = FINISHED
        for listener in self.listeners:
            listener(seq)


def _resolve(waiter: asyncio.Future) -> None:
    if not waiter.done():
        waiter.set_result(None)
