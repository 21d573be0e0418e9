#!/usr/bin/env python3
"""Opens N streaming completions that never read their responses (a small receive buffer, as a
stuck or very slow client), holds them, and reports how many the server closed and when.

    python3 bench/slow_readers.py --url http://127.0.0.1:8000 --streams 1000 --hold 45

Prints a JSON line: streams opened, closed by the server (and the seconds after opening at which
that happened, p50/max), still open at the end.
"""

import argparse
import json
import select
import socket
import sys
import time
import urllib.parse


def open_stream(host, port, model, max_tokens):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((host, port))
    body = json.dumps({"model": model, "prompt": "Tell me everything", "max_tokens": max_tokens,
                       "ignore_eos": True, "stream": True}).encode()
    sock.sendall((f"POST /v1/completions HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {len(body)}\r\n\r\n").encode() + body)
    return sock


def closed_by_peer(sock):
    """True once the peer closed: the socket is readable and a peek returns nothing or fails.
    Peeking does not consume, so the client still reads nothing."""
    readable, _, errored = select.select([sock], [], [sock], 0)
    if not readable and not errored:
        return False
    try:
        sock.setblocking(False)
        data = sock.recv(1, socket.MSG_PEEK)
        return data == b""
    except (BlockingIOError, InterruptedError):
        return False
    except OSError:
        return True
    finally:
        sock.setblocking(True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True)
    parser.add_argument("--model", default="tinyllama")
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--max-tokens", type=int, default=2000,
                        help="per stream (the model's context is 2,048 tokens)")
    parser.add_argument("--hold", type=float, default=45, help="seconds to hold the streams")
    args = parser.parse_args()
    parts = urllib.parse.urlsplit(args.url)
    opened, closed = {}, {}
    for i in range(args.streams):
        opened[i] = (open_stream(parts.hostname, parts.port, args.model, args.max_tokens), time.time())
    deadline = time.time() + args.hold
    while time.time() < deadline:
        for i, (sock, at) in opened.items():
            if i not in closed and closed_by_peer(sock):
                closed[i] = time.time() - at
        time.sleep(0.5)
    for sock, _ in opened.values():
        sock.close()
    after = sorted(closed.values())
    print(json.dumps({"streams": len(opened), "closed_by_server": len(closed),
                      "closed_after_s_p50": after[len(after) // 2] if after else None,
                      "closed_after_s_max": after[-1] if after else None,
                      "still_open": len(opened) - len(closed)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
