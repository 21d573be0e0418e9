"""Tokenizer, chat template and text generation: deterministic, readable, consistent with each other."""

import unittest

from llmsim import chat_template, textgen, tokenizer
from llmsim.stop_strings import StopStringMatcher
from llmsim.vocab import BOS_ID, TOKEN_TEXT


def generate(prompt: str, seed=0, temperature=0.0, top_p=1.0, count=40) -> list[int]:
    key = textgen.prompt_key(tokenizer.encode(prompt))
    generator = textgen.TextGenerator(key, seed, temperature, top_p)
    return [generator.next_token() for _ in range(count)]


class TokenizerTests(unittest.TestCase):
    def test_the_same_text_always_gives_the_same_ids(self):
        text = "The quick brown fox, 12345 times! Supercalifragilistic?"
        self.assertEqual(tokenizer.encode(text), tokenizer.encode(text))
        self.assertGreater(len(tokenizer.encode(text)), 10)

    def test_decoding_returns_the_text(self):
        text = "<|user|>\nHello there, how many tokens is this?</s>\n"
        self.assertEqual(text, tokenizer.decode(tokenizer.encode(text)))

    def test_completions_prompts_start_with_bos(self):
        self.assertEqual(BOS_ID, tokenizer.encode("hi", add_bos=True)[0])

    def test_pieces_are_at_most_four_characters_except_corpus_words(self):
        self.assertEqual(3, len(tokenizer.encode("abcdefghij")))
        self.assertEqual(1, len(tokenizer.encode(" learning")))

    def test_generated_text_tokenizes_back_to_its_token_count(self):
        ids = generate("Tell me something")
        text = "".join(TOKEN_TEXT[token] for token in ids)
        self.assertEqual(ids, tokenizer.encode(text))


class ChatTemplateTests(unittest.TestCase):
    MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]

    def test_zephyr_format_with_generation_prompt(self):
        self.assertEqual("<|system|>\nBe brief.</s>\n<|user|>\nHi</s>\n<|assistant|>\n",
                         chat_template.render(self.MESSAGES, True, False))

    def test_without_generation_prompt(self):
        self.assertTrue(chat_template.render(self.MESSAGES, False, False).endswith("Hi</s>\n"))

    def test_continue_final_message_leaves_the_assistant_turn_open(self):
        messages = self.MESSAGES + [{"role": "assistant", "content": " Machine learning"}]
        self.assertTrue(chat_template.render(messages, False, True).endswith("<|assistant|>\n Machine learning"))

    def test_text_parts_are_joined_with_newlines(self):
        content = [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]
        self.assertEqual("a\nb", chat_template.message_text(content))


class TextGenerationTests(unittest.TestCase):
    def test_output_is_deterministic_for_prompt_seed_and_temperature(self):
        self.assertEqual(generate("p", seed=1, temperature=0.8), generate("p", seed=1, temperature=0.8))

    def test_different_seeds_give_different_answers_when_sampling(self):
        self.assertNotEqual(generate("p", seed=1, temperature=1.0, count=200),
                            generate("p", seed=2, temperature=1.0, count=200))

    def test_words_are_readable_and_each_token_carries_its_leading_space(self):
        words = [TOKEN_TEXT[token] for token in generate("hello")]
        self.assertTrue(all(word.startswith(" ") or word in ".," for word in words))
        self.assertTrue(all(word.strip(" .,").isalpha() for word in words if word not in ".,"))

    def test_eos_length_is_fixed_per_prompt_and_seed_and_within_bounds(self):
        lengths = {textgen.eos_length(key, seed) for key in range(200) for seed in (0, 1)}
        self.assertTrue(all(16 <= length <= 256 for length in lengths))
        self.assertGreater(len(lengths), 50)
        self.assertEqual(textgen.eos_length(123, 4), textgen.eos_length(123, 4))


class StopStringTests(unittest.TestCase):
    def test_text_that_may_start_a_stop_string_is_held_back_until_it_cannot(self):
        matcher = StopStringMatcher(["END!"])
        self.assertEqual(" al", matcher.feed(" alpha"), "the last len(stop)-1 characters wait")
        self.assertEqual("pha", matcher.feed(" EN"))
        self.assertEqual(" ", matcher.feed("D!"))
        self.assertEqual("END!", matcher.matched)

    def test_a_stop_string_across_tokens_is_cut_off_with_everything_after_it(self):
        matcher = StopStringMatcher([" b c"])
        sent = matcher.feed(" a") + matcher.feed(" b") + matcher.feed(" c d")
        self.assertEqual((" a", " b c"), (sent, matcher.matched))

    def test_flush_releases_the_held_back_text(self):
        matcher = StopStringMatcher(["xyz"])
        self.assertEqual(" a x", matcher.feed(" a x") + matcher.flush())
        self.assertIsNone(matcher.matched)


if __name__ == "__main__":
    unittest.main()
