"""Turns OpenAI request bodies into `GenerationRequest`s, rejecting bad ones the way vLLM does.

Order matters and follows vLLM: JSON decoding and pydantic's "before" model validators, then field
validation (all errors at once), then the served-model check, then tokenization and the
context-length checks, then the sampling parameters' own checks.
"""

import json
from dataclasses import dataclass

from . import chat_template, tokenizer
from .errors import bad_request, model_not_found, model_validator_failed, validation_failed
from .validation import (FieldErrors, as_bool, as_float, as_int, as_str, as_str_or_str_list,
                         optional)

COMPLETIONS_DEFAULT_MAX_TOKENS = 16


@dataclass
class GenerationRequest:
    chat: bool
    prompt_ids: list[int]
    max_tokens: int
    stream: bool
    include_usage: bool
    temperature: float
    top_p: float
    seed: int | None
    stops: list[str]
    ignore_eos: bool


@dataclass
class _CommonFields:
    model: str | None
    max_tokens: int | None
    stream: bool
    include_usage: bool
    temperature: float
    top_p: float
    seed: int | None
    stops: list[str]
    ignore_eos: bool
    n: int


def decode_json_body(raw: bytes) -> dict:
    """The request body as a JSON object, or FastAPI's validation error for it."""
    if not raw.strip():
        raise validation_failed([{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}])
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        position, reason = getattr(error, "pos", 0), getattr(error, "msg", "Invalid UTF-8")
        raise validation_failed([{"type": "json_invalid", "loc": ("body", position), "msg": "JSON decode error",
                                  "input": {}, "ctx": {"error": reason}}])
    if not isinstance(body, dict):
        raise validation_failed([{"type": "model_attributes_type", "loc": ("body",),
                                  "msg": "Input should be a valid dictionary or object to extract fields from",
                                  "input": body}])
    return body


def parse_chat(body: dict, served_names: list[str], max_model_len: int) -> GenerationRequest:
    _check_before_validators(body)
    if body.get("continue_final_message") is True and body.get("add_generation_prompt") is True:
        raise model_validator_failed(body, "Cannot set both `continue_final_message` and "
                                     "`add_generation_prompt` to True.", None, vllm_error=False)
    errors = FieldErrors()
    messages = _messages(body, errors)
    common = _common_fields(body, errors, chat=True)
    add_generation_prompt = optional(as_bool, body, "add_generation_prompt", errors)
    continue_final = optional(as_bool, body, "continue_final_message", errors)
    _raise_if_any(errors)
    _check_model(common.model, served_names)
    text = chat_template.render(messages, add_generation_prompt is not False, bool(continue_final))
    return _finish(common, tokenizer.encode(text), common.max_tokens, max_model_len, chat=True)


def parse_completion(body: dict, served_names: list[str], max_model_len: int) -> GenerationRequest:
    _check_before_validators(body)
    prompt = body.get("prompt")
    if prompt is None or prompt == "":
        raise model_validator_failed(body, "Either prompt or prompt_embeds must be provided and non-empty.",
                                     "prompt", vllm_error=True)
    errors = FieldErrors()
    prompt_ids = _prompt_ids(prompt, errors)
    common = _common_fields(body, errors, chat=False)
    _raise_if_any(errors)
    _check_model(common.model, served_names)
    requested = common.max_tokens if "max_tokens" in body else COMPLETIONS_DEFAULT_MAX_TOKENS
    return _finish(common, prompt_ids, requested, max_model_len, chat=False)


def _check_before_validators(body: dict) -> None:
    if body.get("stream_options") and not body.get("stream"):
        raise model_validator_failed(body, "Stream options can only be defined when `stream=True`.",
                                     "stream_options", vllm_error=True)


def _common_fields(body: dict, errors: FieldErrors, chat: bool) -> _CommonFields:
    """Checked in the field order of vLLM's request models, which is the order pydantic reports in."""
    model = optional(as_str, body, "model", errors)
    max_tokens = optional(as_int, body, "max_tokens", errors)
    if chat:
        max_tokens = optional(as_int, body, "max_completion_tokens", errors) or max_tokens
    n = optional(as_int, body, "n", errors)
    seed = optional(as_int, body, "seed", errors)
    stops = optional(as_str_or_str_list, body, "stop", errors) or []
    stream = optional(as_bool, body, "stream", errors)
    stream_options = _stream_options(body, errors)
    temperature = optional(as_float, body, "temperature", errors)
    top_p = optional(as_float, body, "top_p", errors)
    optional(as_str, body, "user", errors)
    ignore_eos = optional(as_bool, body, "ignore_eos", errors)
    return _CommonFields(
        model=model, max_tokens=max_tokens, stream=bool(stream),
        include_usage=stream_options is not None and stream_options.get("include_usage") is not False,
        temperature=1.0 if temperature is None else temperature, top_p=1.0 if top_p is None else top_p,
        seed=seed, stops=[stop for stop in stops if stop], ignore_eos=bool(ignore_eos), n=1 if n is None else n)


def _stream_options(body: dict, errors: FieldErrors) -> dict | None:
    options = body.get("stream_options")
    if options is None:
        return None
    if not isinstance(options, dict):
        errors.add("model_type", ("body", "stream_options"),
                   "Input should be a valid dictionary or instance of StreamOptions", options)
        return None
    return {flag: as_bool(value, ("body", "stream_options", flag), errors) if value is not None else None
            for flag, value in options.items() if flag in ("include_usage", "continuous_usage_stats")}


def _messages(body: dict, errors: FieldErrors) -> list[dict]:
    messages = body.get("messages")
    if messages is None:
        errors.missing(("body", "messages"), body)
        return []
    if not isinstance(messages, list):
        errors.add("list_type", ("body", "messages"), "Input should be a valid list", messages)
        return []
    for index, message in enumerate(messages):
        loc = ("body", "messages", index)
        if not isinstance(message, dict):
            errors.add("model_type", loc, "Input should be a valid dictionary", message)
        elif "role" not in message:
            errors.missing(loc + ("role",), message)
        else:
            as_str(message["role"], loc + ("role",), errors)
            _check_content(message.get("content"), loc + ("content",), errors)
    return messages


def _check_content(content, loc: tuple, errors: FieldErrors) -> None:
    if content is not None and not isinstance(content, (str, list)):
        errors.add("string_type", loc + ("str",), "Input should be a valid string", content)
        errors.add("list_type", loc + ("list",), "Input should be a valid list", content)


def _prompt_ids(prompt, errors: FieldErrors) -> list[int]:
    """`prompt`: a string, a list with one string, token ids, or a list with one list of ids."""
    if isinstance(prompt, list) and len(prompt) == 1 and isinstance(prompt[0], (str, list)):
        prompt = prompt[0]
    if isinstance(prompt, str):
        return tokenizer.encode(prompt, add_bos=True)
    if isinstance(prompt, list) and prompt and all(type(token) is int for token in prompt):
        return list(prompt)
    if isinstance(prompt, list) and len(prompt) > 1 and all(isinstance(item, (str, list)) for item in prompt):
        raise bad_request("The simulator serves one prompt per request; got a batch of "
                          f"{len(prompt)} prompts.", "prompt")
    errors.add("string_type", ("body", "prompt", "str"), "Input should be a valid string", prompt)
    errors.add("list_type", ("body", "prompt", "list[int]"), "Input should be a valid list", prompt)
    return []


def _raise_if_any(errors: FieldErrors) -> None:
    if errors.errors:
        raise validation_failed(errors.errors)


def _check_model(model: str | None, served_names: list[str]) -> None:
    if model is not None and model not in served_names:
        raise model_not_found(model)


def _finish(common: _CommonFields, prompt_ids: list[int], requested: int | None, max_model_len: int,
            chat: bool) -> GenerationRequest:
    _check_lengths(len(prompt_ids), requested, max_model_len)
    max_tokens = max_model_len - len(prompt_ids) if requested is None else requested
    _check_sampling(common, max_tokens)
    return GenerationRequest(chat, prompt_ids, max_tokens, common.stream, common.stream and common.include_usage,
                             common.temperature, common.top_p, common.seed, common.stops, common.ignore_eos)


def _check_lengths(prompt_len: int, max_tokens: int | None, max_model_len: int) -> None:
    if prompt_len >= max_model_len:
        raise bad_request(f"This model's maximum context length is {max_model_len} tokens. However, your request "
                          f"has {prompt_len} input tokens. Please reduce the length of the input messages.",
                          "input_tokens")
    if max_tokens is not None and prompt_len + max_tokens > max_model_len:
        raise bad_request(f"'max_tokens' or 'max_completion_tokens' is too large: {max_tokens}. This model's "
                          f"maximum context length is {max_model_len} tokens and your request has {prompt_len} "
                          f"input tokens ({max_tokens} > {max_model_len} - {prompt_len}).", "max_tokens")


def _check_sampling(common: _CommonFields, max_tokens: int) -> None:
    if common.n != 1:
        raise bad_request(f"The simulator only supports n=1, got n={common.n}.", "n")
    if common.temperature < 0:
        raise bad_request(f"temperature must be non-negative, got {common.temperature}.", "temperature")
    if not 0.0 < common.top_p <= 1.0:
        raise bad_request(f"top_p must be in (0, 1], got {common.top_p}.", "top_p")
    if max_tokens < 1:
        raise bad_request(f"max_tokens must be at least 1, got {max_tokens}.", "max_tokens")

