"""Deterministic, readable output: a walk through the corpus, one word per token.

The same (prompt, seed, temperature, top_p) always yields the same words; a temperature above 0
makes the walk jump between sentences, so different seeds give different answers.
"""

import random
import zlib
from array import array

from .vocab import CORPUS_IDS, PERIOD_ID, SENTENCE_STARTS

MIN_EOS_LENGTH = 16
MAX_EOS_LENGTH = 256
_MAX_JUMP_PROBABILITY = 0.6
_JUMP_PER_TEMPERATURE = 0.35


def prompt_key(prompt_ids: list[int]) -> int:
    """Stable 32-bit fingerprint of a prompt (str hashes are randomised per process; crc32 is not)."""
    return zlib.crc32(array("i", prompt_ids).tobytes())


def eos_length(key: int, seed: int | None) -> int:
    """How many tokens the "model" wants to say, EOS included: in [16, 256], fixed per (prompt, seed)."""
    mixed = zlib.crc32(b"eos:%d:%d" % (key, seed or 0))
    return MIN_EOS_LENGTH + mixed % (MAX_EOS_LENGTH - MIN_EOS_LENGTH + 1)


class TextGenerator:
    """Yields the next output token id of one request."""

    __slots__ = ("_pos", "_rng", "_jump_probability")

    def __init__(self, key: int, seed: int | None, temperature: float, top_p: float):
        start = zlib.crc32(b"start:%d:%d" % (key, seed or 0))
        self._pos = SENTENCE_STARTS[start % len(SENTENCE_STARTS)] - 1
        self._jump_probability = min(_MAX_JUMP_PROBABILITY, _JUMP_PER_TEMPERATURE * temperature * top_p)
        self._rng = None
        if self._jump_probability > 0:
            self._rng = random.Random(zlib.crc32(b"rng:%d:%d:%r:%r" % (key, seed or 0, temperature, top_p)))

    def next_token(self) -> int:
        pos = self._pos + 1
        if pos >= len(CORPUS_IDS):
            pos = 0
        elif self._rng is not None and CORPUS_IDS[pos - 1] == PERIOD_ID:
            if self._rng.random() < self._jump_probability:
                pos = self._rng.choice(SENTENCE_STARTS)
        self._pos = pos
        return CORPUS_IDS[pos]
