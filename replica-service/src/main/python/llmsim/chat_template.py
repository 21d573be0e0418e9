"""TinyLlama's (zephyr) chat template: `<|role|>\\n{content}</s>\\n` per message, then
`<|assistant|>\\n` as the generation prompt, or an open last assistant message to continue."""

from .errors import bad_request


def message_text(content) -> str:
    """A message's content: a string, null, or a list of text parts (joined by newlines, as vLLM does)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    texts = []
    for part in content:
        if not isinstance(part, dict) or part.get("type") != "text" or not isinstance(part.get("text"), str):
            kind = part.get("type") if isinstance(part, dict) else type(part).__name__
            raise bad_request(f"Unsupported content part type: {kind}. Only text parts are simulated.")
        texts.append(part["text"])
    return "\n".join(texts)


def render(messages: list[dict], add_generation_prompt: bool, continue_final_message: bool) -> str:
    if continue_final_message:
        if not messages or messages[-1].get("role") != "assistant":
            raise bad_request("continue_final_message requires the last message to be from the assistant.",
                              "continue_final_message")
        closed, last = messages[:-1], messages[-1]
        return _closed_turns(closed) + f"<|assistant|>\n{message_text(last.get('content'))}"
    text = _closed_turns(messages)
    return text + "<|assistant|>\n" if add_generation_prompt else text


def _closed_turns(messages: list[dict]) -> str:
    return "".join(f"<|{message['role']}|>\n{message_text(message.get('content'))}</s>\n" for message in messages)
