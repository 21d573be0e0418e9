"""vLLM V1's Prometheus metrics (vllm-facts.md §3), fed by the engine, rendered for GET /metrics."""

import time

from .prometheus import Histogram, counter_lines, gauge_lines, histogram_lines

TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0,
                7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0]
ITL_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5,
               10.0, 20.0, 40.0, 80.0]
REQUEST_LATENCY_BUCKETS = [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0,
                           50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0]
FINISH_REASONS = ("stop", "length", "abort", "error", "repetition")
RUNNING, WAITING, KV_USAGE = "vllm:num_requests_running", "vllm:num_requests_waiting", "vllm:kv_cache_usage_perc"
CACHE_INFO, SUCCESS = "vllm:cache_config_info", "vllm:request_success"
ABORTED = "llmserve_sim:requests_aborted"


def one_two_five_buckets(max_value: int) -> list[int]:
    """vLLM's build_1_2_5_buckets: 1, 2, 5, 10, 20, 50, … up to max_value."""
    buckets, exponent = [], 0
    while True:
        for mantissa in (1, 2, 5):
            value = mantissa * 10 ** exponent
            if value > max_value:
                return buckets
            buckets.append(value)
        exponent += 1


class EngineMetrics:
    """Counters and histograms the engine updates as requests progress."""

    def __init__(self, model_name: str, max_model_len: int, cache_info: dict):
        self.labels = {"engine": "0", "model_name": model_name}
        self.cache_info = {**{key: str(value) for key, value in cache_info.items()}, "engine": "0"}
        self.created = time.time()
        self.prompt_tokens = 0
        self.generation_tokens = 0
        self.aborted = 0
        self.success = dict.fromkeys(FINISH_REASONS, 0)
        self.ttft = Histogram(TTFT_BUCKETS)
        self.itl = Histogram(ITL_BUCKETS)
        self.e2e = Histogram(REQUEST_LATENCY_BUCKETS)
        self.queue = Histogram(REQUEST_LATENCY_BUCKETS)
        self.prompt_len = Histogram(one_two_five_buckets(max_model_len))
        self.generation_len = Histogram(one_two_five_buckets(max_model_len))

    def first_token(self, prompt_len: int, ttft: float, queued: float) -> None:
        self.prompt_tokens += prompt_len
        self.ttft.observe(ttft)
        self.queue.observe(queued)

    def finished(self, reason: str, e2e: float, prompt_len: int, output_len: int) -> None:
        self.success[reason] += 1
        self.e2e.observe(e2e)
        self.prompt_len.observe(prompt_len)
        self.generation_len.observe(output_len)

    def render(self, running: int, waiting: int, kv_usage: float, counters) -> str:
        """The exposition text; engine gauges and scheduler counters are read at scrape time."""
        lines = []
        for name, help_text, value in ((RUNNING, "Number of requests in model execution batches.", running),
                                       (WAITING, "Number of requests waiting to be processed.", waiting),
                                       (KV_USAGE, "KV-cache usage. 1 means 100 percent usage.", kv_usage)):
            lines += gauge_lines(name, help_text, [(self.labels, value)])
        lines += gauge_lines(CACHE_INFO, "Information of the LLMEngine CacheConfig", [(self.cache_info, 1)])
        for name, help_text, value in self._counter_values(counters):
            lines += counter_lines(name, help_text, [(self.labels, value)], self.created)
        success = [({**self.labels, "finished_reason": reason}, count) for reason, count in self.success.items()]
        lines += counter_lines(SUCCESS, "Count of successfully processed requests.", success, self.created)
        for name, help_text, histogram in self._histograms():
            lines += histogram_lines(name, help_text, histogram, self.labels)
        lines += counter_lines(ABORTED, "Requests aborted because their client went away (vLLM counts them "
                               "nowhere).", [(self.labels, self.aborted)], self.created)
        return "\n".join(lines) + "\n"

    def _counter_values(self, counters) -> list[tuple]:
        return [
            ("vllm:num_preemptions", "Cumulative number of preemption from the engine.", counters.preemptions),
            ("vllm:prompt_tokens", "Number of prefill tokens processed.", self.prompt_tokens),
            ("vllm:generation_tokens", "Number of generation tokens processed.", self.generation_tokens),
            ("vllm:prefix_cache_queries", "Prefix cache queries, in terms of number of queried tokens.",
             counters.prefix_queries),
            ("vllm:prefix_cache_hits", "Prefix cache hits, in terms of number of cached tokens.", counters.prefix_hits),
        ]

    def _histograms(self) -> list[tuple]:
        return [
            ("vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", self.ttft),
            ("vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", self.itl),
            ("vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", self.e2e),
            ("vllm:request_queue_time_seconds", "Histogram of time spent in WAITING phase for request.", self.queue),
            ("vllm:request_prompt_tokens", "Number of prefill tokens processed.", self.prompt_len),
            ("vllm:request_generation_tokens", "Number of generation tokens processed.", self.generation_len),
        ]
