"""Process lifetime: never outlive the replica that launched us, stop cleanly on signals."""

import asyncio
import os
import signal

PARENT_POLL_S = 0.2


def parent_alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie (a dead parent nobody has reaped yet)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            state = stat.read().rsplit(b")", 1)[1].split()[0]
        return state not in (b"Z", b"X")
    except (OSError, IndexError):
        return True  # no procfs: existence is all we can know


async def watch_parent(pid: int, on_gone) -> None:
    """Call `on_gone` once `pid` has died, or once we have been re-parented (our launcher died)."""
    original_parent = os.getppid()
    while parent_alive(pid) and os.getppid() == original_parent:
        await asyncio.sleep(PARENT_POLL_S)
    on_gone()


def install_stop_signals(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
