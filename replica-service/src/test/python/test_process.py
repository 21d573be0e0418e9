"""The simulator as a process: launched like the Java replica does, and never outliving it."""

import json
import signal
import subprocess
import sys
import time
import unittest
import urllib.error
import urllib.request

from simtest_support import launch, post_json, stop_process

REQUEST = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 3}


class ProcessLifecycleTests(unittest.TestCase):
    def test_sigterm_stops_cleanly_with_exit_code_0(self):
        process, port = launch("--profile", "instant")
        try:
            self.assertEqual(200, post_json(port, "/v1/chat/completions", REQUEST)[0])
            process.send_signal(signal.SIGTERM)
            self.assertEqual(0, process.wait(5))
        finally:
            stop_process(process)

    def test_exit_after_requests_crashes_the_process_after_the_nth_answer(self):
        process, port = launch("--profile", "instant", "--fault-exit-after-requests", "1")
        try:
            status, body = post_json(port, "/v1/chat/completions", REQUEST)
            self.assertEqual((200, 3), (status, body["usage"]["completion_tokens"]))
            self.assertEqual(1, process.wait(5))
        finally:
            stop_process(process)

    def test_exits_when_the_parent_pid_disappears_even_if_it_was_killed(self):
        parent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        process, port = launch("--profile", "instant", "--parent-pid", str(parent.pid))
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as response:
                self.assertEqual(200, response.status)
            parent.kill()
            parent.wait(5)
            started = time.monotonic()
            self.assertIn(process.wait(5), (0, 1))
            self.assertLess(time.monotonic() - started, 1.5)
        finally:
            stop_process(process)
            stop_process(parent)

    def test_served_model_name_and_engine_overrides_are_applied_and_other_vllm_args_ignored(self):
        process, port = launch("--profile", "tinyllama-a10g", "--served-model-name", "a", "b",
                               "--max-model-len", "512", "--no-enable-prefix-caching",
                               "--gpu-memory-utilization", "0.5", "--enforce-eager")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=5) as response:
                cards = json.loads(response.read())["data"]
            self.assertEqual([("a", 512, "tiny"), ("b", 512, "tiny")],
                             [(card["id"], card["max_model_len"], card["root"]) for card in cards])
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
                self.assertIn(b'enable_prefix_caching="False"', response.read())
        finally:
            stop_process(process)


if __name__ == "__main__":
    unittest.main()
