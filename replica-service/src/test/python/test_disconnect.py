"""A client that hangs up makes the engine abort its sequence within a step and free its blocks."""

import json
import unittest

from simtest_support import InProcessSim, RawStream, http_request, wait_until

CHAT = "/v1/chat/completions"
LONG_STREAM = {"messages": [{"role": "user", "content": "Write a long essay."}], "stream": True,
               "max_tokens": 1500, "ignore_eos": True}


class DisconnectTests(unittest.TestCase):
    def test_closing_mid_stream_aborts_the_sequence_and_frees_its_kv_blocks(self):
        with InProcessSim(profile="tinyllama-a10g") as sim:
            stream = RawStream(sim.port, CHAT, LONG_STREAM)
            self.assertEqual(2, len(stream.read_events(2)))
            stream.close()
            self.assertTrue(wait_until(lambda: sim.engine.stats.aborted == 1, timeout=3))
            stats = sim.call(lambda: dict(running=len(sim.engine.scheduler.running),
                                          free=sim.engine.kv.num_free, completed=sim.engine.stats.completed))
            self.assertEqual({"running": 0, "free": sim.profile.num_gpu_blocks - 1, "completed": 0}, stats)
            abort = sim.call(lambda: sim.engine.stats.recent_aborts[0])
            self.assertLess(abort["aborted_at"] - abort["disconnected_at"], 0.1, "one ~6 ms step, not more")
            metrics = http_request(sim.port, "GET", "/metrics")[2].decode()
            self.assertIn('llmserve_sim:requests_aborted_total{engine="0",model_name="tiny"} 1.0', metrics)
            self.assertIn('vllm:request_success_total{engine="0",finished_reason="abort",model_name="tiny"} 0.0',
                          metrics, "like vLLM, aborts are not counted as finished requests")

    def test_closing_while_queued_removes_the_request_from_the_waiting_queue(self):
        with InProcessSim() as sim:
            sim.call(sim.faults.update, {"hang": True})
            stream = RawStream(sim.port, CHAT, LONG_STREAM)
            self.assertTrue(wait_until(lambda: len(sim.engine.scheduler.waiting) == 1))
            stream.close()
            self.assertTrue(wait_until(lambda: sim.engine.stats.aborted == 1, timeout=3))
            self.assertEqual(0, sim.call(lambda: len(sim.engine.scheduler.waiting)))

    def test_admin_stats_expose_the_abort_with_both_timestamps(self):
        with InProcessSim() as sim:
            sim.call(sim.faults.update, {"slow_factor": 5})
            stream = RawStream(sim.port, CHAT, LONG_STREAM)
            stream.read_events(2)
            stream.close()
            self.assertTrue(wait_until(lambda: sim.engine.stats.aborted == 1, timeout=3))
            stats = json.loads(http_request(sim.port, "GET", "/admin/stats")[2])
            self.assertEqual(1, stats["aborted"])
            self.assertEqual(["request_id", "disconnected_at", "aborted_at"], list(stats["recent_aborts"][0]))
            self.assertTrue(stats["recent_aborts"][0]["request_id"].startswith("chatcmpl-"))


if __name__ == "__main__":
    unittest.main()
