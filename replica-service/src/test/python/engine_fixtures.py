"""Builds engines and sequences for scheduler-level tests, stepped by hand without an event loop."""

from llmsim.engine import Engine
from llmsim.faults import Faults
from llmsim.metrics import EngineMetrics
from llmsim.profiles import INSTANT
from llmsim.sequence import Sequence
from llmsim.textgen import TextGenerator


class RecordingSink:
    """Remembers what the engine emitted for one sequence."""

    def __init__(self):
        self.tokens: list[bytes] = []
        self.finished = False
        self.error = None

    def token(self, seq, text: bytes) -> None:
        self.tokens.append(text)

    def finish(self, seq, text: bytes) -> None:
        self.tokens.append(text)
        self.finished = True

    def fail(self, seq, message: str, status: int = 500) -> None:
        self.error = message

    @property
    def text(self) -> str:
        return b"".join(self.tokens).decode()


def make_engine(**overrides) -> Engine:
    profile = INSTANT.with_overrides(**overrides)
    return Engine(profile, EngineMetrics("m", profile.max_model_len, {}), Faults())


def make_seq(engine: Engine, prompt_len: int = 20, max_tokens: int = 10, first_id: int = 1000,
             eos_at=None, stops=(), prompt_ids=None, submit: bool = True) -> Sequence:
    ids = list(prompt_ids) if prompt_ids is not None else list(range(first_id, first_id + prompt_len))
    seq = Sequence(f"req-{first_id}-{prompt_len}", ids, max_tokens, eos_at, TextGenerator(len(ids), 0, 0.0, 1.0),
                   list(stops), RecordingSink(), arrival=0.0)
    if submit:
        engine.submit(seq)
    return seq


def step(engine: Engine, now: float = 0.0):
    """One full engine step; returns its plan as [(request_id, tokens)]."""
    engine.process_aborts()
    plan = engine.begin_step(now)
    engine.end_step(plan, now)
    return [(seq.request_id, n) for seq, n in plan.scheduled]


def run_until_idle(engine: Engine, max_steps: int = 10_000) -> int:
    steps = 0
    while engine.scheduler.has_work() and steps < max_steps:
        step(engine)
        steps += 1
    return steps
