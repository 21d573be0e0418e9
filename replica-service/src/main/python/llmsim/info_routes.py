"""The read-only vLLM endpoints: /v1/models, /health, /ping, /version, /metrics, /tokenize, /detokenize."""

import uuid

from . import VLLM_VERSION, chat_template, tokenizer
from .errors import bad_request, model_not_found
from .openai_requests import decode_json_body
from .openai_responses import compact_json

PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class InfoRoutes:
    def __init__(self, engine, faults, served_names: list[str], model_root: str, created: int):
        self._engine = engine
        self._faults = faults
        self._served_names = served_names
        self._models_body = compact_json(_model_list(served_names, model_root, created,
                                                     engine.profile.max_model_len))

    def models(self, request, responder) -> None:
        responder.send(200, self._models_body)

    def health(self, request, responder) -> None:
        responder.send(200 if self._faults.healthy() else 503, b"", content_type=None)

    def version(self, request, responder) -> None:
        responder.send(200, compact_json({"version": VLLM_VERSION}))

    def metrics(self, request, responder) -> None:
        engine = self._engine
        scheduler = engine.scheduler
        text = engine.metrics.render(len(scheduler.running), len(scheduler.waiting), engine.kv.usage(),
                                     scheduler.counters)
        responder.send(200, text.encode(), content_type=PROMETHEUS_CONTENT_TYPE)

    def tokenize(self, request, responder) -> None:
        body = decode_json_body(request.body)
        self._check_model(body.get("model"))
        if "messages" in body:
            text = chat_template.render(body["messages"], body.get("add_generation_prompt", True) is not False,
                                        bool(body.get("continue_final_message")))
            ids = tokenizer.encode(text, add_bos=bool(body.get("add_special_tokens", False)))
        elif isinstance(body.get("prompt"), str):
            ids = tokenizer.encode(body["prompt"], add_bos=body.get("add_special_tokens", True) is not False)
        else:
            raise bad_request("Either `prompt` (a string) or `messages` must be given.", "prompt")
        max_model_len = self._engine.profile.max_model_len
        responder.send(200, compact_json({"count": len(ids), "max_model_len": max_model_len,
                                          "tokens": ids, "token_strs": None}))

    def detokenize(self, request, responder) -> None:
        body = decode_json_body(request.body)
        self._check_model(body.get("model"))
        tokens = body.get("tokens")
        if not isinstance(tokens, list) or not all(type(token) is int for token in tokens):
            raise bad_request("`tokens` must be a list of integers.", "tokens")
        responder.send(200, compact_json({"prompt": tokenizer.decode(tokens)}))

    def _check_model(self, model) -> None:
        if model is not None and model not in self._served_names:
            raise model_not_found(model)


def _model_list(served_names: list[str], root: str, created: int, max_model_len: int) -> dict:
    return {"object": "list", "data": [_model_card(name, root, created, max_model_len) for name in served_names]}


def _model_card(name: str, root: str, created: int, max_model_len: int) -> dict:
    permission = {"id": f"modelperm-{uuid.uuid4().hex}", "object": "model_permission", "created": created,
                  "allow_create_engine": False, "allow_sampling": True, "allow_logprobs": True,
                  "allow_search_indices": False, "allow_view": True, "allow_fine_tuning": False,
                  "organization": "*", "group": None, "is_blocking": False}
    return {"id": name, "object": "model", "created": created, "owned_by": "vllm", "root": root,
            "parent": None, "max_model_len": max_model_len, "permission": [permission]}
