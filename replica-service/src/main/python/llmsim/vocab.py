"""The simulator's fixed vocabulary: special tokens plus every word of the generation corpus.

Generated text is drawn from this corpus one word per token, and the tokenizer maps each corpus
word back to the same single id, so re-tokenizing an answer gives back its token count.
"""

import json
import re

UNK_ID, BOS_ID, EOS_ID = 0, 1, 2
SPECIAL_TOKENS = {"<unk>": UNK_ID, "<s>": BOS_ID, "</s>": EOS_ID,
                  "<|system|>": 3, "<|user|>": 4, "<|assistant|>": 5}
FIRST_WORD_ID = 100
VOCAB_SIZE = 32_000  # TinyLlama's; ids of pieces outside the corpus are hashed into [1000, 32000)

CORPUS = (
    " Machine learning is a field of study that gives computers the ability to learn from data"
    " without being explicitly programmed. A language model predicts the next word in a sequence,"
    " one token at a time, from everything it has seen so far. Large models are trained on a vast"
    " amount of text, and they learn grammar, facts and a little reasoning along the way. Serving"
    " such a model is mostly a problem of memory bandwidth, because every new token reads all of"
    " the weights once. The key and value cache keeps the attention state of each request, so the"
    " model does not compute the whole prompt again for every token. Continuous batching lets many"
    " requests share one forward pass, and a new request can join the batch at any step. When the"
    " cache is full, the scheduler preempts the newest request and computes it again later. A long"
    " prompt is split into chunks, so that a single request cannot stall the others for too long."
    " Prefix caching reuses the blocks of a shared system prompt across many conversations. Good"
    " systems measure the time to first token, the latency between tokens and the throughput of"
    " the whole cluster. A router sends each request to the replica with the lightest load, and it"
    " retries on another replica when the first one fails before any token was sent. Streaming"
    " returns every token as soon as it exists, which makes the answer feel fast to the reader."
    " Engineers keep the data plane simple and let the control plane decide where replicas run."
    " A healthy service degrades gracefully, sheds load early and recovers on its own after a"
    " failure. The best answer is often short, clear and honest about what it does not know."
    " Every component has a budget for memory, time and errors, and the budget is checked all the"
    " time. Small changes that are easy to test tend to be safer than large ones. In the end, the"
    " quality of a system shows in how it behaves on its worst day, not on its best."
)

_CORPUS_PIECE = re.compile(r" ?[A-Za-z]+|[.,]")
CORPUS_PIECES = _CORPUS_PIECE.findall(CORPUS)

WORD_IDS: dict[str, int] = {}
for _piece in CORPUS_PIECES:
    WORD_IDS.setdefault(_piece, FIRST_WORD_ID + len(WORD_IDS))
    WORD_IDS.setdefault(_piece.lstrip(" "), FIRST_WORD_ID + len(WORD_IDS))

_MAX_FIXED_ID = FIRST_WORD_ID + len(WORD_IDS)
# Text of every fixed id, and its JSON-escaped UTF-8 form for the streaming hot path.
TOKEN_TEXT: list[str] = [""] * _MAX_FIXED_ID
for _text, _id in {**SPECIAL_TOKENS, **WORD_IDS}.items():
    TOKEN_TEXT[_id] = _text
TOKEN_TEXT[EOS_ID] = ""  # EOS is a special token: it ends the text without adding to it
TOKEN_TEXT[BOS_ID] = ""
TOKEN_JSON: list[bytes] = [json.dumps(text)[1:-1].encode() for text in TOKEN_TEXT]
SPECIAL_TEXT = {token_id: text for text, token_id in SPECIAL_TOKENS.items()}

CORPUS_IDS = [WORD_IDS[piece] for piece in CORPUS_PIECES]
PERIOD_ID = WORD_IDS["."]
# Positions right after a full stop: where a jump keeps the text readable.
SENTENCE_STARTS = [0] + [i + 1 for i, token_id in enumerate(CORPUS_IDS[:-1]) if token_id == PERIOD_ID]
