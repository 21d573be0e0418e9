"""Where a sequence's tokens go: an SSE stream (`StreamSink`) or a JSON body (`CollectSink`).

Stream events are assembled from per-request byte templates, with the token text pre-escaped, so a
token costs two concatenations and one transport write (no json.dumps per chunk). Shapes and key
order are vLLM's (vllm-facts.md §1).
"""

import json

from .errors import error_body
from .http_server import Responder
from .sequence import Sequence

DONE_EVENT = b"data: [DONE]\n\n"


def compact_json(value) -> bytes:
    """FastAPI's JSONResponse encoding: no spaces, UTF-8 as is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _usage_fields(seq: Sequence) -> bytes:
    output = seq.num_output
    return b'"prompt_tokens":%d,"total_tokens":%d,"completion_tokens":%d' % (
        seq.prompt_len, seq.prompt_len + output, output)


class StreamSink:
    """Writes a request's chunks as SSE events into its chunked HTTP response."""

    __slots__ = ("_responder", "_open", "_token_suffix", "_closing", "_role_event", "_usage_open",
                 "include_usage")

    def __init__(self, responder: Responder, chat: bool, request_id: str, created: int, model: str,
                 include_usage: bool):
        obj = b"chat.completion.chunk" if chat else b"text_completion"
        envelope = b'data: {"id":%s,"object":"%s","created":%d,"model":%s,"choices":' % (
            compact_json(request_id), obj, created, compact_json(model))
        self._responder = responder
        self._open = envelope + (b'[{"index":0,"delta":{"content":"' if chat else b'[{"index":0,"text":"')
        close_text = b'"}' if chat else b'"'  # chat text sits in a "delta" object, completions' does not
        self._token_suffix = close_text + (b',"logprobs":null,"finish_reason":null}]}\n\n' if chat else
                                           b',"logprobs":null,"finish_reason":null,"stop_reason":null}]}\n\n')
        self._closing = close_text + b',"logprobs":null,"finish_reason":"%s","stop_reason":%s}]}\n\n'
        self._role_event = envelope + (b'[{"index":0,"delta":{"role":"assistant","content":""},'
                                       b'"logprobs":null,"finish_reason":null}]}\n\n') if chat else None
        self._usage_open = envelope + b'[],"usage":{'
        self.include_usage = include_usage

    def token(self, seq: Sequence, text: bytes) -> None:
        payload = self._open + text + self._token_suffix
        role_event = self._role_event
        if role_event is None:
            self._responder.write_chunk(payload)
        else:  # vLLM sends the role once, right before the first token (never during prefill)
            self._role_event = None
            self._responder.write_chunks((role_event, payload))

    def finish(self, seq: Sequence, text: bytes) -> None:
        stop_reason = b"null" if seq.stop_reason is None else compact_json(seq.stop_reason)
        closing = self._closing % (seq.finish_reason.encode(), stop_reason)
        events = [self._role_event] if self._role_event is not None else []
        events.append(self._open + text + closing)
        if self.include_usage:
            events.append(self._usage_open + _usage_fields(seq) + b"}}\n\n")
        events.append(DONE_EVENT)
        self._responder.end_stream(events)

    def fail(self, seq: Sequence, message: str, status: int = 500) -> None:
        """After a 200 has gone out, an error travels as an event, and [DONE] still follows."""
        error = json.dumps(error_body(message, "InternalServerError", None, status)).encode()
        self._responder.end_stream([b"data: " + error + b"\n\n", DONE_EVENT])


class CollectSink:
    """Collects a non-streaming request's text and answers with the whole completion at the end."""

    __slots__ = ("_responder", "_chat", "_request_id", "_created", "_model", "_parts")

    def __init__(self, responder: Responder, chat: bool, request_id: str, created: int, model: str):
        self._responder = responder
        self._chat = chat
        self._request_id = request_id
        self._created = created
        self._model = model
        self._parts: list[bytes] = []

    def token(self, seq: Sequence, text: bytes) -> None:
        self._parts.append(text)

    def finish(self, seq: Sequence, text: bytes) -> None:
        self._parts.append(text)
        content = json.loads(b'"' + b"".join(self._parts) + b'"')
        body = self._chat_body(seq, content) if self._chat else self._completion_body(seq, content)
        self._responder.send(200, compact_json(body))

    def fail(self, seq: Sequence, message: str, status: int = 500) -> None:
        self._responder.send(status, compact_json(error_body(message, "InternalServerError", None, status)))

    def _usage(self, seq: Sequence) -> dict:
        output = seq.num_output
        return {"prompt_tokens": seq.prompt_len, "total_tokens": seq.prompt_len + output,
                "completion_tokens": output, "prompt_tokens_details": None}

    def _chat_body(self, seq: Sequence, content: str) -> dict:
        message = {"role": "assistant", "content": content, "refusal": None, "annotations": None,
                   "audio": None, "function_call": None, "tool_calls": [], "reasoning_content": None}
        choice = {"index": 0, "message": message, "logprobs": None, "finish_reason": seq.finish_reason,
                  "stop_reason": seq.stop_reason}
        return {"id": self._request_id, "object": "chat.completion", "created": self._created,
                "model": self._model, "choices": [choice], "service_tier": None, "system_fingerprint": None,
                "usage": self._usage(seq), "prompt_logprobs": None, "kv_transfer_params": None}

    def _completion_body(self, seq: Sequence, text: str) -> dict:
        choice = {"index": 0, "text": text, "logprobs": None, "finish_reason": seq.finish_reason,
                  "stop_reason": seq.stop_reason, "prompt_logprobs": None}
        return {"id": self._request_id, "object": "text_completion", "created": self._created,
                "model": self._model, "choices": [choice], "usage": self._usage(seq),
                "kv_transfer_params": None}
