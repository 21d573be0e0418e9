"""Injected failures, set from the command line or live through POST /admin/faults.

- hang: the engine stops stepping, connections stay open and /health stays 200 (half-alive).
- slow_factor: every step takes this many times longer.
- error_rate: this fraction of generation requests fail with a 500 before streaming.
- exit_after_requests / exit_after_seconds: the process dies (exit code 1, no cleanup), like a crash.
- unhealthy_seconds: /health answers 503 for that long.
"""

import logging
import os
import random
import sys
import time

log = logging.getLogger("llmsim.faults")

CRASH_EXIT_CODE = 1


def crash(reason: str) -> None:
    log.error("Injected fault: %s; exiting with code %d", reason, CRASH_EXIT_CODE)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(CRASH_EXIT_CODE)


class FaultError(ValueError):
    pass


class Faults:
    """The active faults of one simulator process."""

    def __init__(self, seed: int | None = None, exit_fn=crash):
        self.hang = False
        self.slow_factor = 1.0
        self.error_rate = 0.0
        self.exit_after_requests: int | None = None
        self.exit_after_seconds: float | None = None
        self._requests_left: int | None = None
        self._exit_deadline: float | None = None
        self._exit_timer = None
        self._unhealthy_until = 0.0
        self._rng = random.Random(seed)
        self._exit_fn = exit_fn
        self._loop = None
        self.on_change = None   # the engine's wake-up, so that lifting a hang takes effect at once

    def start(self, loop) -> None:
        """Arm time-based faults given before the event loop existed."""
        self._loop = loop
        if self.exit_after_seconds is not None:
            self._arm_exit_timer(self.exit_after_seconds)

    def update(self, changes: dict) -> dict:
        """Apply any subset of the fault fields; raises FaultError on a bad value."""
        unknown = set(changes) - set(_FIELDS)
        if unknown:
            raise FaultError(f"Unknown fault field(s): {', '.join(sorted(unknown))}")
        parsed = {name: _FIELDS[name](name, value) for name, value in changes.items()}
        for name, value in parsed.items():
            getattr(self, f"_set_{name}")(value)
        if self.on_change is not None:
            self.on_change()
        return self.snapshot()

    def snapshot(self) -> dict:
        return {"hang": self.hang, "slow_factor": self.slow_factor, "error_rate": self.error_rate,
                "exit_after_requests": self._requests_left,
                "exit_after_seconds": self._seconds_left(self._exit_deadline),
                "unhealthy_seconds": self._seconds_left(self._unhealthy_until) or 0.0}

    def healthy(self) -> bool:
        return time.monotonic() >= self._unhealthy_until

    def should_fail(self) -> bool:
        return self.error_rate > 0 and self._rng.random() < self.error_rate

    def request_done(self) -> None:
        """Count a generation request that left the engine; the N-th one triggers the exit."""
        if self._requests_left is None:
            return
        self._requests_left -= 1
        if self._requests_left <= 0:
            self._requests_left = 0
            self._exit_later(f"exit after {self.exit_after_requests} requests")

    def _set_hang(self, value: bool) -> None:
        self.hang = value

    def _set_slow_factor(self, value: float) -> None:
        self.slow_factor = value

    def _set_error_rate(self, value: float) -> None:
        self.error_rate = value

    def _set_exit_after_requests(self, value: int | None) -> None:
        self.exit_after_requests = self._requests_left = value

    def _set_exit_after_seconds(self, value: float | None) -> None:
        self.exit_after_seconds = value
        if self._loop is not None:
            self._arm_exit_timer(value)

    def _set_unhealthy_seconds(self, value: float) -> None:
        self._unhealthy_until = time.monotonic() + value

    def _arm_exit_timer(self, seconds: float | None) -> None:
        if self._exit_timer is not None:
            self._exit_timer.cancel()
            self._exit_timer, self._exit_deadline = None, None
        if seconds is not None:
            self._exit_deadline = time.monotonic() + seconds
            self._exit_timer = self._loop.call_later(seconds, self._exit_fn, f"exit after {seconds} s")

    def _exit_later(self, reason: str) -> None:
        # call_soon: the finishing request's last bytes are already in the socket by then
        if self._loop is not None:
            self._loop.call_soon(self._exit_fn, reason)
        else:
            self._exit_fn(reason)

    @staticmethod
    def _seconds_left(deadline: float | None) -> float | None:
        if deadline is None:
            return None
        return max(0.0, round(deadline - time.monotonic(), 3))


def _bool(name: str, value) -> bool:
    if not isinstance(value, bool):
        raise FaultError(f"{name}: {value!r} (expected: true or false)")
    return value


def _number(minimum: float, maximum: float | None = None, integer: bool = False, nullable: bool = False):
    def parse(name: str, value):
        if value is None and nullable:
            return None
        ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok_type or value < minimum or (maximum is not None and value > maximum):
            bounds = f">= {minimum}" + (f" and <= {maximum}" if maximum is not None else "")
            raise FaultError(f"{name}: {value!r} (expected: {'an integer' if integer else 'a number'} {bounds}"
                             f"{' or null' if nullable else ''})")
        return value if integer or value is None else float(value)
    return parse


_FIELDS = {
    "hang": _bool,
    "slow_factor": _number(0.0),
    "error_rate": _number(0.0, 1.0),
    "exit_after_requests": _number(1, integer=True, nullable=True),
    "exit_after_seconds": _number(0.0, nullable=True),
    "unhealthy_seconds": _number(0.0),
}
