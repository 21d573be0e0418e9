"""A deterministic, cheap stand-in for a BPE tokenizer.

Text is cut into regex pieces (a word with its leading space, digits in threes, runs of symbols
or whitespace). A corpus word is one token; any other piece is split into parts of at most four
characters, each with a stable hashed id. Counts and ids are the same for the same text, always.
"""

import re
import zlib

from .vocab import (BOS_ID, FIRST_WORD_ID, SPECIAL_TEXT, SPECIAL_TOKENS, TOKEN_TEXT, VOCAB_SIZE,
                    WORD_IDS)

_PIECE = re.compile(r"<\|[a-z]+\|>|</s>|<s>| ?[A-Za-z]+| ?[0-9]{1,3}| ?[^\sA-Za-z0-9]{1,4}|\s{1,4}")
_HASHED_BASE = 1000
_MAX_PART = 4
# Reverse map for hashed ids, so /detokenize can answer for text this process has tokenized.
_REVERSE_LIMIT = 1_000_000
_hashed_text: dict[int, str] = {}


def encode(text: str, add_bos: bool = False) -> list[int]:
    """Token ids of `text`, optionally preceded by BOS (as a completions prompt is)."""
    ids = [BOS_ID] if add_bos else []
    append = ids.append
    for piece in _PIECE.findall(text):
        token_id = SPECIAL_TOKENS.get(piece) or WORD_IDS.get(piece)
        if token_id is not None:
            append(token_id)
        else:
            ids.extend(_hashed_part(piece[i:i + _MAX_PART]) for i in range(0, len(piece), _MAX_PART))
    return ids


def decode(ids: list[int]) -> str:
    """Text of `ids`; ids never produced by this process decode to nothing."""
    return "".join(piece_text(token_id) for token_id in ids)


def piece_text(token_id: int) -> str:
    if token_id in SPECIAL_TEXT:
        return SPECIAL_TEXT[token_id]
    if FIRST_WORD_ID <= token_id < len(TOKEN_TEXT):
        return TOKEN_TEXT[token_id]
    return _hashed_text.get(token_id, "")


def _hashed_part(part: str) -> int:
    token_id = _HASHED_BASE + zlib.crc32(part.encode()) % (VOCAB_SIZE - _HASHED_BASE)
    if len(_hashed_text) >= _REVERSE_LIMIT:
        _hashed_text.clear()
    _hashed_text[token_id] = part
    return token_id
