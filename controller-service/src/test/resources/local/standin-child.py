"""A stand-in for a supervised service (gateway, worker agent) in tests.

Answers 200 on /actuator/health/liveness and 404 elsewhere, on the given port of every
address, like the real services. Dies on SIGTERM. With --grandchild it first starts a child
of its own, as a worker starts replicas, so that tests can check whole trees are stopped.

usage: python3 standin-child.py --port PORT [--marker TEXT] [--grandchild]
"""
import argparse
import http.server
import subprocess
import sys


class Handler(http.server.BaseHTTPRequestHandler):

    def do_GET(self):
        status = 200 if self.path == "/actuator/health/liveness" else 404
        body = b'{"status":"UP"}' if status == 200 else b"{}"
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--marker", default="")
    parser.add_argument("--grandchild", action="store_true")
    args = parser.parse_args()
    if args.grandchild:
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", args.marker])
    server = http.server.ThreadingHTTPServer(("", args.port), Handler)
    print("stand-in listening on", args.port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
