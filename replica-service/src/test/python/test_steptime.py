"""The roofline step times land inside the ranges of vllm-facts.md §7."""

import unittest

from llmsim.profiles import INSTANT, LLAMA3_8B_A10G, TINYLLAMA_A10G
from llmsim.steptime import StepTimeModel

MS = 1e-3


class TinyLlamaA10gCalibrationTests(unittest.TestCase):
    model = StepTimeModel(TINYLLAMA_A10G)

    def test_single_sequence_decode_step_is_about_5_6_ms(self):
        self.assertAlmostEqual(5.6, self.model.seconds(1, 100) / MS, delta=0.3)

    def test_32_sequences_at_1k_context_take_about_7_1_ms(self):
        self.assertAlmostEqual(7.1, self.model.seconds(32, 32 * 1024) / MS, delta=0.4)

    def test_128_and_256_sequences_at_1k_context(self):
        self.assertAlmostEqual(11.7, self.model.seconds(128, 128 * 1024) / MS, delta=0.6)
        self.assertAlmostEqual(18.0, self.model.seconds(256, 256 * 1024) / MS, delta=1.0)

    def test_a_2048_token_prefill_chunk_takes_75_to_130_ms(self):
        self.assertTrue(75 * MS <= self.model.seconds(2048, 2048) <= 130 * MS)

    def test_a_512_token_prompt_on_an_idle_server_has_a_25_to_40_ms_ttft(self):
        self.assertTrue(25 * MS <= self.model.seconds(512, 512) <= 40 * MS)

    def test_a_prefill_chunk_in_the_batch_slows_every_decoding_sequence(self):
        self.assertGreater(self.model.seconds(32 + 2000, 32 * 1024 + 2000), 10 * self.model.seconds(32, 32 * 1024))


class Llama3A10gCalibrationTests(unittest.TestCase):
    model = StepTimeModel(LLAMA3_8B_A10G)

    def test_decode_steps(self):
        self.assertAlmostEqual(35, self.model.seconds(1, 100) / MS, delta=1.5)
        self.assertAlmostEqual(43, self.model.seconds(32, 32 * 1024) / MS, delta=2)
        self.assertAlmostEqual(70, self.model.seconds(128, 128 * 1024) / MS, delta=3)

    def test_a_1k_prompt_prefills_in_0_3_to_0_4_s(self):
        self.assertTrue(0.3 <= self.model.seconds(1024, 1024) <= 0.4)

    def test_kv_pool_is_the_measured_1952_blocks(self):
        self.assertEqual(1952, LLAMA3_8B_A10G.num_gpu_blocks)


class InstantProfileTests(unittest.TestCase):
    def test_steps_take_no_time_unless_slowed(self):
        model = StepTimeModel(INSTANT)
        self.assertEqual(0.0, model.seconds(2048, 100_000))
        self.assertAlmostEqual(0.005, model.seconds(1, 1, slow_factor=5))

    def test_slow_factor_multiplies_the_roofline(self):
        model = StepTimeModel(TINYLLAMA_A10G)
        self.assertAlmostEqual(3 * model.seconds(1, 10), model.seconds(1, 10, slow_factor=3))


if __name__ == "__main__":
    unittest.main()
