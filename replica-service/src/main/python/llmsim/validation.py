"""Pydantic-v2-like lax field validation, producing FastAPI's error dicts for vLLM's handler.

Only the field types the OpenAI request models use are covered; each check either returns the
coerced value or appends an error dict ({'type','loc','msg','input'}) and returns None.
"""

_TRUE = {"1", "on", "t", "true", "y", "yes"}
_FALSE = {"0", "off", "f", "false", "n", "no"}


class FieldErrors:
    """Collects every error of one request body, like pydantic does (not just the first)."""

    def __init__(self):
        self.errors: list[dict] = []

    def add(self, kind: str, loc: tuple, msg: str, value) -> None:
        self.errors.append({"type": kind, "loc": loc, "msg": msg, "input": value})

    def missing(self, loc: tuple, body: dict) -> None:
        self.add("missing", loc, "Field required", body)


def as_int(value, loc: tuple, errors: FieldErrors):
    if isinstance(value, bool) or isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        errors.add("int_from_float", loc, "Input should be a valid integer, got a number with a fractional part",
                   value)
    elif isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            errors.add("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer",
                       value)
    else:
        errors.add("int_type", loc, "Input should be a valid integer", value)
    return None


def as_float(value, loc: tuple, errors: FieldErrors):
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            errors.add("float_parsing", loc, "Input should be a valid number, unable to parse string as a number",
                       value)
    else:
        errors.add("float_type", loc, "Input should be a valid number", value)
    return None


def as_bool(value, loc: tuple, errors: FieldErrors):
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    kind = "bool_parsing" if isinstance(value, (str, int)) else "bool_type"
    message = "Input should be a valid boolean" + (", unable to interpret input" if kind == "bool_parsing" else "")
    errors.add(kind, loc, message, value)
    return None


def as_str(value, loc: tuple, errors: FieldErrors):
    if isinstance(value, str):
        return value
    errors.add("string_type", loc, "Input should be a valid string", value)
    return None


def as_str_or_str_list(value, loc: tuple, errors: FieldErrors):
    """`str | list[str]` (e.g. `stop`): a failing union reports one error per branch."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    errors.add("string_type", loc + ("str",), "Input should be a valid string", value)
    if isinstance(value, list):
        for index, item in enumerate(value):
            if not isinstance(item, str):
                errors.add("string_type", loc + ("list[str]", index), "Input should be a valid string", item)
    else:
        errors.add("list_type", loc + ("list[str]",), "Input should be a valid list", value)
    return None


def optional(check, body: dict, name: str, errors: FieldErrors):
    """Validate body[name] with `check` unless it is absent or null."""
    value = body.get(name)
    if value is None:
        return None
    return check(value, ("body", name), errors)
