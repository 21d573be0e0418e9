#!/usr/bin/env python3
"""How many streamed chunks per second one simulator process sustains (stdlib only).

Starts the simulator (instant profile) pinned to one core, opens --streams concurrent streaming
chat requests (long ignore_eos generations, re-issued on the same connection when they end) from
client processes pinned to the other cores, counts the SSE data events received, prints the rate.

    python3 bench/sim_chunk_rate.py --streams 256 --duration 10
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import subprocess
import sys
import threading
import time

SIM_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "replica-service", "src", "main",
                          "python", "llmserve_sim.py")
EVENT = b"data: "
DONE = b"data: [DONE]"
REPORT_INTERVAL_S = 0.5


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=256)
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds (after warm-up)")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--clients", type=int, default=None, help="client processes (default: cores - 1)")
    parser.add_argument("--max-tokens", type=int, default=2000)
    parser.add_argument("--profile", default="instant")
    return parser.parse_args(argv)


def start_simulator(profile: str, sim_cpus: set) -> tuple[subprocess.Popen, int]:
    command = [sys.executable, SIM_SCRIPT, "--port", "0", "--model", "bench", "--profile", profile]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               preexec_fn=lambda: _pin(sim_cpus))
    for line in process.stdout:
        match = re.search(r"Starting vLLM server on http://[\d.]+:(\d+)", line)
        if match:
            threading.Thread(target=process.stdout.read, daemon=True).start()  # keep its log pipe drained
            return process, int(match.group(1))
    raise SystemExit("simulator did not start")


def _pin(cpus: set) -> None:
    if cpus and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, cpus)


class StreamClient(asyncio.Protocol):
    """One keep-alive connection that keeps one streaming request in flight at all times."""

    def __init__(self, request: bytes, counter: list):
        self._request = request
        self._counter = counter
        self._tail = b""
        self.transport = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(self._request)

    def data_received(self, data: bytes) -> None:
        window = self._tail + data  # an event marker may straddle two reads
        events, done = window.count(EVENT), window.count(DONE)
        self._tail = data[-(len(DONE) - 1):]
        self._counter[0] += events - done
        for _ in range(done):
            self.transport.write(self._request)


def client_main(index: int, port: int, streams: int, max_tokens: int, cpus: set, reports) -> None:
    _pin(cpus)
    body = json.dumps({"model": "bench", "messages": [{"role": "user", "content": "Tell me a long story."}],
                       "max_tokens": max_tokens, "ignore_eos": True, "stream": True}).encode()
    request = (b"POST /v1/chat/completions HTTP/1.1\r\nHost: sim\r\nContent-Type: application/json\r\n"
               b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    asyncio.run(_run_clients(index, port, streams, request, reports))


async def _run_clients(index: int, port: int, streams: int, request: bytes, reports) -> None:
    loop = asyncio.get_running_loop()
    counter = [0]
    for _ in range(streams):
        await loop.create_connection(lambda: StreamClient(request, counter), "127.0.0.1", port)
    while True:
        await asyncio.sleep(REPORT_INTERVAL_S)
        reports.put((index, time.monotonic(), counter[0]))


def split_cpus() -> tuple[set, set]:
    """First core for the simulator, the rest for the clients (no pinning on a single core)."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(cpus) < 2:
        return set(), set()
    return {cpus[0]}, set(cpus[1:])


def measure(reports, warmup: float, duration: float, on_window_start) -> float:
    """Sum over clients of (events received in the window) / (window length), from their reports."""
    window_start = time.monotonic() + warmup
    window_end = window_start + duration
    first, last = {}, {}
    while True:
        index, stamp, count = reports.get(timeout=30)  # a dead client must not hang the benchmark
        if stamp >= window_start:
            if not first:
                on_window_start()
            first.setdefault(index, (stamp, count))
            last[index] = (stamp, count)
        if stamp >= window_end and len(last) == len(first):
            break
    return sum((last[i][1] - first[i][1]) / (last[i][0] - first[i][0]) for i in first if last[i][0] > first[i][0])


def main(argv=None) -> None:
    args = parse_args(argv)
    sim_cpus, client_cpus = split_cpus()
    clients = args.clients or max(1, len(client_cpus) or 1)
    simulator, port = start_simulator(args.profile, sim_cpus)
    reports = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=client_main, daemon=True,
                                       args=(i, port, _share(args.streams, clients, i), args.max_tokens, client_cpus,
                                             reports)) for i in range(clients)]
    try:
        for worker in workers:
            worker.start()
        before = []
        def record_cpu():
            before.extend((time.monotonic(), cpu_seconds(simulator.pid), [cpu_seconds(w.pid) for w in workers]))
        rate = measure(reports, args.warmup, args.duration, record_cpu)
        print(f"simulator cpus={sorted(sim_cpus) or 'any'} client processes={clients} "
              f"cpus={sorted(client_cpus) or 'any'} streams={args.streams} profile={args.profile}")
        print(cpu_report(before, simulator.pid, [w.pid for w in workers]))
        print(f"chunks/s: {rate:,.0f}")
    finally:
        for worker in workers:
            worker.kill()
        simulator.kill()
        simulator.wait()


def cpu_seconds(pid: int) -> float | None:
    """user+system CPU time of a process (Linux /proc), to tell which side was saturated."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def cpu_report(before: tuple, sim_pid: int, client_pids: list) -> str:
    elapsed = time.monotonic() - before[0]
    def share(start, pid):
        end = cpu_seconds(pid)
        return "n/a" if start is None or end is None else f"{100 * (end - start) / elapsed:.0f}%"
    clients = ", ".join(share(start, pid) for start, pid in zip(before[2], client_pids))
    return f"cpu busy: simulator {share(before[1], sim_pid)}, clients [{clients}]"


def _share(total: int, parts: int, index: int) -> int:
    return total // parts + (1 if index < total % parts else 0)


if __name__ == "__main__":
    main()
