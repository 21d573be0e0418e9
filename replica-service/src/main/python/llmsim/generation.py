"""POST /v1/chat/completions and /v1/completions: validate, enqueue a sequence, wire its output.

Handlers return as soon as the sequence is in the engine; the engine's step loop writes the
stream (or the final JSON) through the sink. If the client goes away first, the responder's
`on_disconnect` aborts the sequence.
"""

import time
import uuid

from . import textgen
from .errors import internal_error
from .openai_requests import GenerationRequest, decode_json_body, parse_chat, parse_completion
from .openai_responses import CollectSink, StreamSink
from .sequence import Sequence


class GenerationHandler:
    """Shared by both OpenAI generation routes."""

    def __init__(self, engine, faults, served_names: list[str], default_seed: int, loop_time):
        self._engine = engine
        self._faults = faults
        self._served_names = served_names
        self._model_name = served_names[0]
        self._max_model_len = engine.profile.max_model_len
        self._default_seed = default_seed
        self._loop_time = loop_time

    def chat(self, request, responder) -> None:
        self._generate(request, responder, parse_chat, "chatcmpl-")

    def completion(self, request, responder) -> None:
        self._generate(request, responder, parse_completion, "cmpl-")

    def _generate(self, request, responder, parse, id_prefix: str) -> None:
        arrival = self._loop_time()
        body = decode_json_body(request.body)
        params: GenerationRequest = parse(body, self._served_names, self._max_model_len)
        if self._faults.should_fail():
            raise internal_error("Injected fault: error_rate")
        request_id = id_prefix + (request.header("x-request-id") or uuid.uuid4().hex[:16])
        created = int(time.time())
        if params.stream:
            sink = StreamSink(responder, params.chat, request_id, created, self._model_name, params.include_usage)
        else:
            sink = CollectSink(responder, params.chat, request_id, created, self._model_name)
        seq = self._sequence(request_id, params, sink, arrival)
        responder.on_disconnect = lambda: self._engine.abort(seq)
        if params.stream:
            responder.start_stream()
        self._engine.submit(seq)

    def _sequence(self, request_id: str, params: GenerationRequest, sink, arrival: float) -> Sequence:
        seed = self._default_seed if params.seed is None else params.seed
        key = textgen.prompt_key(params.prompt_ids)
        eos_at = None if params.ignore_eos else textgen.eos_length(key, seed)
        generator = textgen.TextGenerator(key, seed, params.temperature, params.top_p)
        return Sequence(request_id, params.prompt_ids, params.max_tokens, eos_at, generator, params.stops,
                        sink, arrival)

