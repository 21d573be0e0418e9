"""Helpers for the simulator tests: an in-process server on its own loop thread, a subprocess
launcher, and small HTTP clients (http.client for whole responses, raw sockets for disconnects)."""

import asyncio
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time

from llmsim.app import SimApp
from llmsim.faults import Faults
from llmsim.profiles import PROFILES
from llmsim.server import SimServer

SIM_SCRIPT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "main", "python", "llmserve_sim.py"))
MODEL = "tiny"


class InProcessSim:
    """A simulator listening on 127.0.0.1:0, driven by an event loop in a background thread."""

    def __init__(self, profile: str = "instant", names=(MODEL,), fault_seed: int = 7, **overrides):
        self.profile = PROFILES[profile].with_overrides(**overrides)
        self.faults = Faults(seed=fault_seed, exit_fn=self._record_exit)
        self.exits: list[str] = []
        self.app = SimApp(self.profile, list(names), self.profile.model_root, self.faults)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.port = None

    def __enter__(self) -> "InProcessSim":
        self._thread.start()
        self.server = SimServer(self.app, "127.0.0.1", 0)
        self.port = self.call_async(self.server.start())
        return self

    def __exit__(self, *exc) -> None:
        self.call_async(self.server.stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    def call_async(self, coroutine, timeout: float = 10):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def call(self, fn, *args):
        """Run `fn` on the loop thread (engine state is only safe to read there)."""
        async def invoke():
            return fn(*args)
        return self.call_async(invoke())

    def _record_exit(self, reason: str) -> None:
        self.exits.append(reason)

    @property
    def engine(self):
        return self.app.engine


def http_request(port: int, method: str, path: str, body=None, headers=None, timeout: float = 10):
    """One request on a fresh connection: (status, headers dict, body bytes)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        connection.request(method, path, body=data, headers=all_headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def post_json(port: int, path: str, body, headers=None):
    status, response_headers, data = http_request(port, "POST", path, body, headers)
    return status, json.loads(data) if data else None


def stream_events(port: int, path: str, body, headers=None) -> tuple[int, list[str]]:
    """POST a streaming request; returns the status and every SSE `data:` payload in order."""
    status, response_headers, data = http_request(port, "POST", path, body, headers)
    return status, sse_payloads(data)


def sse_payloads(data: bytes) -> list[str]:
    text = data.decode()
    assert text.endswith("\n\n"), text[-200:]
    return [event[len("data: "):] for event in text.split("\n\n") if event]


def wait_until(predicate, timeout: float = 5.0, interval: float = 0.01) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


class RawStream:
    """A streaming request over a bare socket, to read a few events and then hang up."""

    def __init__(self, port: int, path: str, body: dict):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        data = json.dumps(body).encode()
        self.sock.sendall(b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          b"Content-Length: %d\r\n\r\n%s" % (path.encode(), len(data), data))
        self.buffer = b""

    def read_events(self, count: int) -> list[str]:
        while self.buffer.count(b"data: ") < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            self.buffer += chunk
        return re.findall(rb"data: ([^\n]*)\n\n", self.buffer)[:count]

    def close(self) -> None:
        self.sock.close()


def launch(*args: str, env=None) -> tuple[subprocess.Popen, int]:
    """Start the simulator script as a child process on a free port; returns (process, port)."""
    command = [sys.executable, SIM_SCRIPT, "--port", "0", "--model", MODEL, *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        match = re.search(r"Starting vLLM server on http://[\d.]+:(\d+)", line)
        if match:
            process.drainer = threading.Thread(target=process.stdout.read, daemon=True)  # keep the pipe drained
            process.drainer.start()
            return process, int(match.group(1))
        if not line and process.poll() is not None:
            break
    process.kill()
    raise AssertionError("simulator did not start")


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(5)
    if getattr(process, "drainer", None) is not None:
        process.drainer.join(5)
    if process.stdout is not None:
        process.stdout.close()
