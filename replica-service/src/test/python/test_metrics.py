"""GET /metrics: vLLM's names, types, labels and buckets, and values that follow the traffic."""

import re
import time
import unittest

from llmsim.metrics import ITL_BUCKETS, TTFT_BUCKETS
from simtest_support import InProcessSim, http_request, post_json, stream_events

LABELS = '{engine="0",model_name="tiny"}'
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.e+]+|\+Inf|NaN)$')


def scrape(port: int) -> str:
    status, headers, data = http_request(port, "GET", "/metrics")
    assert status == 200 and headers["content-type"].startswith("text/plain; version=0.0.4")
    return data.decode()


def value(text: str, series: str) -> float:
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{series} not found")


class MetricsTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = InProcessSim().__enter__()
        request = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 5, "ignore_eos": True}
        for _ in range(3):
            post_json(cls.sim.port, "/v1/chat/completions", request)
        stream_events(cls.sim.port, "/v1/completions", {"prompt": "x", "max_tokens": 500, "stream": True,
                                                             "ignore_eos": True})
        cls.text = scrape(cls.sim.port)

    @classmethod
    def tearDownClass(cls):
        cls.sim.__exit__(None, None, None)

    def test_every_line_is_a_comment_or_a_well_formed_sample(self):
        for line in self.text.splitlines():
            self.assertTrue(line.startswith("# HELP ") or line.startswith("# TYPE ") or SAMPLE.match(line), line)

    def test_names_and_types_are_vllms(self):
        expected = {
            "vllm:num_requests_running": "gauge", "vllm:num_requests_waiting": "gauge",
            "vllm:kv_cache_usage_perc": "gauge", "vllm:cache_config_info": "gauge",
            "vllm:prompt_tokens_total": "counter", "vllm:generation_tokens_total": "counter",
            "vllm:num_preemptions_total": "counter", "vllm:prefix_cache_queries_total": "counter",
            "vllm:prefix_cache_hits_total": "counter", "vllm:request_success_total": "counter",
            "vllm:time_to_first_token_seconds": "histogram", "vllm:inter_token_latency_seconds": "histogram",
            "vllm:e2e_request_latency_seconds": "histogram", "vllm:request_queue_time_seconds": "histogram",
            "vllm:request_prompt_tokens": "histogram", "vllm:request_generation_tokens": "histogram",
            "llmserve_sim:requests_aborted_total": "counter",
        }
        types = dict(re.findall(r"^# TYPE (\S+) (\S+)$", self.text, re.M))
        self.assertEqual(expected, {name: types.get(name) for name in expected})

    def test_counters_follow_the_requests(self):
        self.assertEqual(3 * 5 + 500, value(self.text, f"vllm:generation_tokens_total{LABELS}"))
        self.assertEqual(4, value(self.text, 'vllm:request_success_total{engine="0",finished_reason="length",'
                                             'model_name="tiny"}'))
        self.assertEqual(4, value(self.text, f"vllm:e2e_request_latency_seconds_count{LABELS}"))
        self.assertEqual(3 * 4 + 499, value(self.text, f"vllm:inter_token_latency_seconds_count{LABELS}"))
        self.assertEqual(0, value(self.text, f"vllm:num_requests_running{LABELS}"))

    def test_histograms_use_vllms_buckets(self):
        ttft = re.findall(r'^vllm:time_to_first_token_seconds_bucket\{engine="0",le="([^"]+)"', self.text, re.M)
        self.assertEqual([repr(float(bound)) for bound in TTFT_BUCKETS] + ["+Inf"], ttft)
        itl = re.findall(r'^vllm:inter_token_latency_seconds_bucket\{engine="0",le="([^"]+)"', self.text, re.M)
        self.assertEqual(len(ITL_BUCKETS) + 1, len(itl))
        prompt = re.findall(r'^vllm:request_prompt_tokens_bucket\{engine="0",le="([^"]+)"', self.text, re.M)
        self.assertEqual(["1.0", "2.0", "5.0", "10.0", "20.0", "50.0", "100.0", "200.0", "500.0", "1000.0",
                          "2000.0", "+Inf"], prompt)

    def test_prompt_tokens_count_the_whole_prompt_even_when_cached(self):
        prompt_tokens = value(self.text, f"vllm:prompt_tokens_total{LABELS}")
        hits = value(self.text, f"vllm:prefix_cache_hits_total{LABELS}")
        self.assertEqual(value(self.text, f"vllm:prefix_cache_queries_total{LABELS}"), prompt_tokens)
        self.assertGreaterEqual(hits, 0)


class FixedTimingTests(unittest.TestCase):
    def test_benchmark_mode_gives_each_request_a_constant_ttft_and_itl(self):
        with InProcessSim(fixed_ttft_s=0.05, fixed_itl_s=0.01) as sim:
            request = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 10, "ignore_eos": True}
            started = time.monotonic()
            status, body = post_json(sim.port, "/v1/chat/completions", request)
            elapsed = time.monotonic() - started
            self.assertEqual(10, body["usage"]["completion_tokens"])
            self.assertGreaterEqual(elapsed, 0.05 + 9 * 0.01)
            text = scrape(sim.port)
            self.assertGreaterEqual(value(text, f"vllm:time_to_first_token_seconds_sum{LABELS}"), 0.05)


if __name__ == "__main__":
    unittest.main()
