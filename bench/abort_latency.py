#!/usr/bin/env python3
"""Disconnect -> engine abort latency: opens streaming completions, reads a few chunks, closes
the socket, and matches each close with the engine's own abort record (the simulator's
/admin/stats `recent_aborts`, stamped when its step loop removed the sequence).

    python3 bench/abort_latency.py --url http://127.0.0.1:8000 --engine http://127.0.0.1:8100 \
        --streams 200 --concurrency 50 [--label llmserve]

Prints one line per run and, with --json FILE, writes the samples and percentiles. Client and
engine run on this machine, so both timestamps come from the same clock.
"""

import argparse
import json
import math
import socket
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid


def stream_and_close(url, model, request_id, chunks_before_close):
    parts = urllib.parse.urlsplit(url)
    body = json.dumps({"model": model, "prompt": "Tell me a long story", "max_tokens": 2000,
                       "ignore_eos": True, "stream": True}).encode()
    request = (f"POST /v1/completions HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
               f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
               f"X-Request-Id: {request_id}\r\nConnection: close\r\n\r\n").encode() + body
    sock = socket.create_connection((parts.hostname, parts.port), timeout=30)
    try:
        sock.sendall(request)
        seen, buffer = 0, b""
        while seen < chunks_before_close:
            data = sock.recv(65536)
            if not data:
                raise RuntimeError(f"{request_id}: stream ended after {seen} chunks")
            buffer += data
            seen = buffer.count(b"data: {")
        # RST rather than FIN: the peer learns at once, as when a client process dies.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        closed_at = time.time()
    finally:
        sock.close()
    return closed_at


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    # nearest rank
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="where the streams go (engine, proxy or gateway)")
    parser.add_argument("--engine", required=True, help="the simulator engine whose /admin/stats records aborts")
    parser.add_argument("--model", default="tinyllama")
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--chunks", type=int, default=3, help="chunks read before the close")
    parser.add_argument("--label", default="")
    parser.add_argument("--json", help="write samples and percentiles here")
    args = parser.parse_args()

    run = uuid.uuid4().hex[:8]
    closes, errors, lock = {}, [], threading.Lock()
    pending = list(range(args.streams))

    def worker():
        while True:
            with lock:
                if not pending:
                    return
                i = pending.pop()
            request_id = f"abort-{run}-{i}"
            try:
                closed_at = stream_and_close(args.url, args.model, request_id, args.chunks)
                with lock:
                    closes[request_id] = closed_at
            except Exception as error:  # counted and shown, never fatal
                with lock:
                    errors.append(str(error))

    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    deadline = time.time() + 10
    aborts, disconnects = {}, {}
    while time.time() < deadline:
        with urllib.request.urlopen(args.engine.rstrip("/") + "/admin/stats", timeout=5) as response:
            stats = json.load(response)
        for record in stats.get("recent_aborts", []):
            rid = record["request_id"]
            key = rid[rid.find("abort-"):] if "abort-" in rid else None
            if key in closes:
                aborts[key] = record["aborted_at"]
                if record.get("disconnected_at"):
                    disconnects[key] = record["disconnected_at"]
        if len(aborts) == len(closes):
            break
        time.sleep(0.5)

    latencies = sorted((aborts[k] - closes[k]) * 1000 for k in aborts)
    # The part spent before the engine saw its connection close (the serving path), the rest
    # being the engine's own step.
    propagation = sorted((disconnects[k] - closes[k]) * 1000 for k in disconnects)
    result = {
        "label": args.label, "streams": args.streams, "closed": len(closes), "aborted": len(aborts),
        "never_aborted": len(closes) - len(aborts), "client_errors": len(errors),
        "latency_ms": {p: percentile(latencies, v) for p, v in
                       (("p50", 50), ("p90", 90), ("p99", 99), ("max", 100))},
        "to_engine_disconnect_ms": {p: percentile(propagation, v) for p, v in
                                    (("p50", 50), ("p90", 90), ("p99", 99), ("max", 100))},
    }
    ms = result["latency_ms"]
    fmt = lambda v: "–" if v is None else f"{v:.1f}"
    print(f"{args.label or args.url}: {len(closes)} closed, {len(aborts)} aborted by the engine, "
          f"{result['never_aborted']} never aborted, {len(errors)} client errors; disconnect -> abort ms "
          f"p50 {fmt(ms['p50'])} p90 {fmt(ms['p90'])} p99 {fmt(ms['p99'])} max {fmt(ms['max'])}")
    pr = result["to_engine_disconnect_ms"]
    print(f"  of which until the engine saw its connection close: p50 {fmt(pr['p50'])} p99 {fmt(pr['p99'])} "
          f"max {fmt(pr['max'])}")
    if errors:
        print("  first client error: " + errors[0])
    if args.json:
        with open(args.json, "w") as f:
            json.dump(dict(result, samples_ms=latencies), f, indent=1)
    return 0 if not errors and result["never_aborted"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
