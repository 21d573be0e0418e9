"""Continuous batching as vLLM V1 schedules it: batch limits, token budget, chunked prefill,
preemption of the newest request, prefix caching and finish reasons."""

import unittest

from engine_fixtures import make_engine, make_seq, run_until_idle, step


class BatchingTests(unittest.TestCase):
    def test_batch_never_exceeds_max_num_seqs_and_waiting_requests_join_when_one_finishes(self):
        engine = make_engine(max_num_seqs=2)
        first = make_seq(engine, first_id=1000, max_tokens=2)
        second = make_seq(engine, first_id=2000, max_tokens=5)
        third = make_seq(engine, first_id=3000, max_tokens=5)
        self.assertEqual([first.request_id, second.request_id], [rid for rid, _ in step(engine)])
        self.assertEqual(1, len(engine.scheduler.waiting))
        step(engine)  # first emits its 2nd token and finishes
        self.assertTrue(first.sink.finished)
        scheduled = dict(step(engine))
        self.assertEqual({second.request_id: 1, third.request_id: 20}, scheduled)

    def test_decode_takes_one_token_and_a_long_prompt_is_prefilled_in_chunks_of_the_budget(self):
        engine = make_engine(max_num_batched_tokens=64)
        decoding = make_seq(engine, prompt_len=10, first_id=1000, max_tokens=50)
        step(engine)
        long_prompt = make_seq(engine, prompt_len=150, first_id=5000, max_tokens=3)
        self.assertEqual({decoding.request_id: 1, long_prompt.request_id: 63}, dict(step(engine)))
        self.assertEqual({decoding.request_id: 1, long_prompt.request_id: 63}, dict(step(engine)))
        self.assertEqual([], long_prompt.sink.tokens, "no output while the prompt is being prefilled")
        self.assertEqual({decoding.request_id: 1, long_prompt.request_id: 24}, dict(step(engine)))
        self.assertEqual(1, len(long_prompt.sink.tokens), "the first token comes with the last prefill chunk")

    def test_step_time_inputs_count_every_scheduled_token_and_context(self):
        engine = make_engine()
        make_seq(engine, prompt_len=100, first_id=1000)
        make_seq(engine, prompt_len=50, first_id=2000)
        engine.process_aborts()
        plan = engine.begin_step(0.0)
        self.assertEqual(150, plan.num_tokens)
        self.assertEqual(150, plan.context_tokens)


class PreemptionTests(unittest.TestCase):
    def test_kv_exhaustion_preempts_the_newest_request_which_resumes_by_recomputing(self):
        # 6 usable blocks of 16; two 40-token prompts take 3 blocks each, and the first request's
        # 49th token needs a 4th block.
        engine = make_engine(num_gpu_blocks=7, block_size=16)
        older = make_seq(engine, prompt_len=40, first_id=1000, max_tokens=30)
        newer = make_seq(engine, prompt_len=40, first_id=2000, max_tokens=30)
        for _ in range(9):
            step(engine)
        self.assertEqual(0, engine.scheduler.counters.preemptions)
        self.assertEqual(0, engine.kv.num_free)
        step(engine)
        self.assertEqual(1, engine.scheduler.counters.preemptions)
        self.assertEqual([older], engine.scheduler.running)
        self.assertEqual([newer], list(engine.scheduler.waiting))
        self.assertEqual(0, newer.num_computed)
        self.assertEqual(9, newer.num_output, "generated tokens survive a preemption")
        run_until_idle(engine)
        self.assertEqual(30, len(older.sink.tokens))
        self.assertEqual(30, len(newer.sink.tokens), "the preempted request still produces all its tokens")
        self.assertEqual(6, engine.kv.num_free, "every block is back once both have finished")

    def test_no_admission_in_a_step_that_preempted(self):
        engine = make_engine(num_gpu_blocks=7, block_size=16)
        make_seq(engine, prompt_len=40, first_id=1000, max_tokens=30)
        make_seq(engine, prompt_len=40, first_id=2000, max_tokens=30)
        for _ in range(9):
            step(engine)
        make_seq(engine, prompt_len=4, first_id=3000, max_tokens=1)
        scheduled = step(engine)
        self.assertEqual(1, len(scheduled), "the preempting step admits nobody, not even a small request")

    def test_a_request_larger_than_the_whole_cache_fails_instead_of_waiting_forever(self):
        engine = make_engine(num_gpu_blocks=3, block_size=16)
        seq = make_seq(engine, prompt_len=40, first_id=1000)
        step(engine)
        self.assertIsNotNone(seq.sink.error)
        self.assertFalse(engine.scheduler.has_work())


class PrefixCacheTests(unittest.TestCase):
    def test_a_repeated_prompt_hits_its_full_blocks_except_the_last_token(self):
        engine = make_engine()
        make_seq(engine, prompt_len=48, first_id=1000, max_tokens=1)
        run_until_idle(engine)
        again = make_seq(engine, prompt_len=48, first_id=1000, max_tokens=1)
        self.assertEqual({again.request_id: 16}, dict(step(engine)))
        counters = engine.scheduler.counters
        self.assertEqual(32, counters.prefix_hits, "floor((48-1)/16)*16 tokens come from the cache")
        self.assertEqual(96, counters.prefix_queries)

    def test_a_shared_prefix_hits_only_the_matching_blocks(self):
        engine = make_engine()
        make_seq(engine, prompt_ids=list(range(1000, 1040)), max_tokens=1)
        run_until_idle(engine)
        other = make_seq(engine, prompt_ids=list(range(1000, 1020)) + list(range(9000, 9030)), max_tokens=1)
        step(engine)
        self.assertEqual(16, engine.scheduler.counters.prefix_hits)
        self.assertEqual(16, other.num_cached_tokens)

    def test_blocks_filled_during_decode_are_cached_too(self):
        engine = make_engine()
        first = make_seq(engine, prompt_len=20, first_id=1000, max_tokens=30)
        run_until_idle(engine)
        follow_up = make_seq(engine, prompt_ids=first.token_ids, max_tokens=1)
        step(engine)
        self.assertEqual(48, follow_up.num_cached_tokens, "prompt and answer blocks are both reusable")

    def test_freed_cached_blocks_are_evicted_least_recently_used_first(self):
        engine = make_engine(num_gpu_blocks=9, block_size=16)  # 8 usable blocks, 4 per 64-token prompt
        for first_id in (1000, 2000, 3000):  # A, B, then C, which must evict A's (older) blocks
            make_seq(engine, prompt_len=64, first_id=first_id, max_tokens=1)
            run_until_idle(engine)
        self.assertEqual(48, self._hits_of(engine, first_id=2000), "B was used more recently than A")
        self.assertEqual(0, self._hits_of(engine, first_id=1000), "A was the least recently used")

    def test_a_hit_on_a_freed_block_takes_it_back_from_the_free_queue(self):
        engine = make_engine(num_gpu_blocks=9, block_size=16)
        make_seq(engine, prompt_len=64, first_id=1000, max_tokens=1)
        run_until_idle(engine)
        self.assertEqual(8, engine.kv.num_free)
        again = make_seq(engine, prompt_len=64, first_id=1000, max_tokens=100)
        step(engine)
        self.assertEqual(4, engine.kv.num_free, "3 revived blocks and 1 new one are in use")
        self.assertEqual(48, again.num_cached_tokens)

    @staticmethod
    def _hits_of(engine, first_id: int) -> int:
        before = engine.scheduler.counters.prefix_hits
        make_seq(engine, prompt_len=64, first_id=first_id, max_tokens=1)
        run_until_idle(engine)
        return engine.scheduler.counters.prefix_hits - before

    def test_usage_counts_cached_but_free_blocks_as_free(self):
        engine = make_engine(num_gpu_blocks=11, block_size=16)
        seq = make_seq(engine, prompt_len=40, first_id=1000, max_tokens=5)
        step(engine)
        self.assertAlmostEqual(0.3, engine.kv.usage())
        run_until_idle(engine)
        self.assertEqual(0.0, engine.kv.usage())
        self.assertTrue(seq.sink.finished)


class FinishTests(unittest.TestCase):
    def test_eos_finishes_with_stop_and_an_empty_last_text(self):
        engine = make_engine()
        seq = make_seq(engine, max_tokens=100, eos_at=7)
        run_until_idle(engine)
        self.assertEqual(("stop", None), (seq.finish_reason, seq.stop_reason))
        self.assertEqual(7, seq.num_output)
        self.assertEqual(b"", seq.sink.tokens[-1])

    def test_max_tokens_finishes_with_length(self):
        engine = make_engine()
        seq = make_seq(engine, max_tokens=5, eos_at=50)
        run_until_idle(engine)
        self.assertEqual(("length", 5), (seq.finish_reason, len(seq.sink.tokens)))

    def test_max_model_len_finishes_with_length(self):
        engine = make_engine(max_model_len=30)
        seq = make_seq(engine, prompt_len=25, max_tokens=100)
        run_until_idle(engine)
        self.assertEqual(("length", 30), (seq.finish_reason, seq.num_tokens))

    def test_a_stop_string_ends_the_text_before_it_and_becomes_the_stop_reason(self):
        engine = make_engine()
        probe = make_seq(engine, max_tokens=12, first_id=4000)
        run_until_idle(engine)
        words = probe.sink.text
        stop = words.split(" ")[4]  # the 4th word of the same deterministic answer
        seq = make_seq(engine, max_tokens=12, first_id=4000, stops=[" " + stop])
        run_until_idle(engine)
        self.assertEqual(("stop", " " + stop), (seq.finish_reason, seq.stop_reason))
        self.assertEqual(words[:words.index(" " + stop)], seq.sink.text)

    def test_finished_requests_free_their_blocks_and_leave_the_batch(self):
        engine = make_engine(num_gpu_blocks=100)
        for index in range(5):
            make_seq(engine, first_id=1000 * (index + 1), max_tokens=3)
        run_until_idle(engine)
        self.assertEqual(99, engine.kv.num_free)
        self.assertEqual(5, engine.stats.completed)


if __name__ == "__main__":
    unittest.main()
