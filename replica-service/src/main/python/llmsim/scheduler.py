"""Continuous-batching scheduler, after vLLM V1 `Scheduler.schedule()` (vllm-facts.md §5).

Each step has a token budget. Running requests go first, in order: a decode takes one token, a
chunked prefill takes what is left of the budget. When the KV cache cannot hold a running request's
new tokens, the newest running request is preempted (blocks freed, progress lost, back to the front
of the queue). Waiting requests are admitted first-come-first-served, only in steps without a
preemption, while there is room in the batch, in the budget and in the cache.
"""

from collections import deque
from dataclasses import dataclass, field

from .kvcache import KvCache
from .profiles import EngineProfile
from .sequence import PREEMPTED, RUNNING, Sequence


@dataclass
class StepPlan:
    """What one step computes: (sequence, number of new tokens) pairs and their totals."""

    scheduled: list = field(default_factory=list)
    num_tokens: int = 0
    context_tokens: int = 0
    preempted: list = field(default_factory=list)


@dataclass
class SchedulerCounters:
    preemptions: int = 0
    prefix_queries: int = 0
    prefix_hits: int = 0


class Scheduler:
    """Owns the running and waiting queues and decides each step's batch."""

    def __init__(self, profile: EngineProfile, kv: KvCache):
        self.max_num_seqs = profile.max_num_seqs
        self.token_budget = profile.max_num_batched_tokens
        self.kv = kv
        self.running: list[Sequence] = []
        self.waiting: deque[Sequence] = deque()
        self.counters = SchedulerCounters()
        self._first_token_delay = profile.fixed_ttft_s or profile.fixed_itl_s or 0.0

    def add(self, seq: Sequence) -> None:
        self.waiting.append(seq)

    def has_work(self) -> bool:
        return bool(self.running or self.waiting)

    def remove(self, seq: Sequence) -> None:
        """Take an aborted or failed sequence out of the queues and free its blocks."""
        if seq.status == RUNNING:
            self.running.remove(seq)
        elif seq in self.waiting:
            self.waiting.remove(seq)
        self.kv.free(seq)

    def drop_finished(self) -> None:
        """Forget the running sequences the last step finished (their blocks are already freed)."""
        self.running = [seq for seq in self.running if seq.status == RUNNING]

    def schedule(self, now: float = 0.0) -> StepPlan:
        plan = StepPlan()
        budget = self._schedule_running(plan, self.token_budget, now)
        if not plan.preempted:
            self._schedule_waiting(plan, budget, now)
        return plan

    def _schedule_running(self, plan: StepPlan, budget: int, now: float) -> int:
        block_size, running, index = self.kv.block_size, self.running, 0
        while index < len(running) and budget > 0:
            seq = running[index]
            if seq.due > now:  # fixed-timing mode only: not this sequence's turn yet
                index += 1
                continue
            n = min(seq.num_tokens - seq.num_computed, budget)
            fits = seq.num_computed + n <= len(seq.blocks) * block_size
            if not fits and not self._allocate_or_preempt(seq, n, plan):
                break  # the request preempted itself; everything behind it is gone too
            self._add(plan, seq, n)
            budget -= n
            index += 1
        return budget

    def _allocate_or_preempt(self, seq: Sequence, n: int, plan: StepPlan) -> bool:
        while not self.kv.allocate(seq, n):
            victim = self.running.pop()
            self._preempt(victim, plan)
            if victim is seq:
                return False
        return True

    def _preempt(self, victim: Sequence, plan: StepPlan) -> None:
        self.kv.free(victim)
        victim.num_computed = 0
        victim.status = PREEMPTED
        victim.num_preemptions += 1
        self.waiting.appendleft(victim)
        self.counters.preemptions += 1
        plan.preempted.append(victim)

    def _schedule_waiting(self, plan: StepPlan, budget: int, now: float) -> None:
        while self.waiting and len(self.running) < self.max_num_seqs and budget > 0:
            seq = self.waiting[0]
            hits = self._lookup_prefix(seq)
            n = min(seq.num_tokens - len(hits) * self.kv.block_size, budget)
            if not self.kv.allocate(seq, n, hits):
                break
            self.waiting.popleft()
            self._admit(seq, hits, now)
            self._add(plan, seq, n)
            budget -= n

    def _lookup_prefix(self, seq: Sequence) -> list[int]:
        hits = self.kv.lookup(seq)
        if self.kv.prefix_caching:
            self.counters.prefix_queries += seq.num_tokens
            self.counters.prefix_hits += len(hits) * self.kv.block_size
        return hits

    def _admit(self, seq: Sequence, hits: list[int], now: float) -> None:
        seq.num_computed = len(hits) * self.kv.block_size
        if seq.first_scheduled is None:
            seq.num_cached_tokens = seq.num_computed
            seq.first_scheduled = now
        seq.status = RUNNING
        seq.due = now + self._first_token_delay if self._first_token_delay else 0.0
        self.running.append(seq)

    @staticmethod
    def _add(plan: StepPlan, seq: Sequence, n: int) -> None:
        seq.num_computed += n
        plan.scheduled.append((seq, n))
        plan.num_tokens += n
        plan.context_tokens += seq.num_computed
