"""Injected faults, set live through /admin/faults (exits are recorded instead of performed)."""

import json
import time
import unittest

from simtest_support import InProcessSim, RawStream, http_request, post_json, stream_events, wait_until

CHAT = "/v1/chat/completions"
REQUEST = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 10, "ignore_eos": True}


class FaultTests(unittest.TestCase):
    def setUp(self):
        self.sim = InProcessSim().__enter__()

    def tearDown(self):
        self.sim.__exit__(None, None, None)

    def set_faults(self, **faults):
        status, body = post_json(self.sim.port, "/admin/faults", faults)
        self.assertEqual(200, status, body)
        return body

    def test_error_rate_one_fails_every_request_with_a_500(self):
        self.set_faults(error_rate=1.0)
        status, body = post_json(self.sim.port, CHAT, REQUEST)
        self.assertEqual(500, status)
        self.assertEqual(("InternalServerError", 500), (body["error"]["type"], body["error"]["code"]))
        self.set_faults(error_rate=0.0)
        self.assertEqual(200, post_json(self.sim.port, CHAT, REQUEST)[0])

    def test_unhealthy_answers_503_until_the_time_is_up(self):
        self.set_faults(unhealthy_seconds=0.3)
        self.assertEqual(503, http_request(self.sim.port, "GET", "/health")[0])
        self.assertTrue(wait_until(lambda: http_request(self.sim.port, "GET", "/health")[0] == 200, timeout=2))

    def test_hang_stops_tokens_but_keeps_health_green_and_lifting_it_resumes(self):
        self.set_faults(hang=True)
        stream = RawStream(self.sim.port, CHAT, {**REQUEST, "stream": True})
        stream.sock.settimeout(0.3)
        with self.assertRaises(TimeoutError):
            stream.read_events(1)
        self.assertIn(b"200 OK", stream.buffer, "headers went out, tokens did not")
        self.assertEqual(200, http_request(self.sim.port, "GET", "/health")[0])
        self.set_faults(hang=False)
        stream.sock.settimeout(5)
        self.assertEqual(3, len(stream.read_events(3)))
        stream.close()

    def test_slow_factor_stretches_every_step(self):
        self.set_faults(slow_factor=20)  # instant profile: 20 ms per step
        started = time.monotonic()
        status, events = stream_events(self.sim.port, CHAT, {**REQUEST, "stream": True})
        self.assertEqual(12, len(events))
        self.assertGreaterEqual(time.monotonic() - started, 10 * 0.020)

    def test_exit_after_requests_triggers_once_the_nth_request_has_finished(self):
        self.set_faults(exit_after_requests=2)
        post_json(self.sim.port, CHAT, REQUEST)
        self.assertEqual([], self.sim.exits)
        post_json(self.sim.port, CHAT, REQUEST)
        self.assertTrue(wait_until(lambda: self.sim.exits == ["exit after 2 requests"]))

    def test_exit_after_seconds_triggers_on_time(self):
        self.set_faults(exit_after_seconds=0.2)
        self.assertTrue(wait_until(lambda: self.sim.exits == ["exit after 0.2 s"], timeout=2))

    def test_get_returns_the_active_faults_and_bad_values_are_rejected(self):
        self.set_faults(slow_factor=2.5, exit_after_requests=5)
        status, headers, data = http_request(self.sim.port, "GET", "/admin/faults")
        active = json.loads(data)
        self.assertEqual((2.5, 5, False), (active["slow_factor"], active["exit_after_requests"], active["hang"]))
        status, body = post_json(self.sim.port, "/admin/faults", {"error_rate": 2})
        self.assertEqual(400, status)
        self.assertIn("error_rate", body["error"]["message"])


if __name__ == "__main__":
    unittest.main()
