"""vLLM's error responses: `{"error":{"message","type","param","code"}}` (vllm-facts.md §1)."""

from http import HTTPStatus


class ApiError(Exception):
    """An error that becomes an HTTP response (or an in-stream error event)."""

    def __init__(self, status: int, message: str, error_type: str, param: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_type = error_type
        self.param = param

    def body(self) -> dict:
        return error_body(self.message, self.error_type, self.param, self.status)


def error_body(message: str, error_type: str, param: str | None, code: int) -> dict:
    return {"error": {"message": message, "type": error_type, "param": param, "code": code}}


def bad_request(message: str, param: str | None = None) -> ApiError:
    """What vLLM answers for a ValueError / VLLMValidationError raised while serving."""
    return ApiError(400, message, "BadRequestError", param)


def model_not_found(name: str) -> ApiError:
    return ApiError(404, f"The model `{name}` does not exist.", "NotFoundError", "model")


def internal_error(message: str) -> ApiError:
    return ApiError(500, message, "InternalServerError")


class ReprText:
    """Prints as given inside a repr'd error dict (an exception object in pydantic's ctx)."""

    def __init__(self, text: str):
        self._text = text

    def __repr__(self) -> str:
        return self._text


def validation_failed(errors: list[dict], param: str | None = None) -> ApiError:
    """FastAPI's RequestValidationError as vLLM's handler renders it: type "Bad Request"."""
    label = "error" if len(errors) == 1 else "errors"
    message = f"{len(errors)} validation {label}:\n" + "".join(f"  {error}\n" for error in errors)
    if param is None:
        param = clean_loc(errors[0]["loc"])
    return ApiError(400, message.rstrip(), HTTPStatus.BAD_REQUEST.phrase, param)


# pydantic's union-branch and wrapper markers, which vLLM drops from `param` (clean_loc_for_param)
_LOC_MARKERS = {"str", "int", "float", "bool", "list", "dict", "none", "union", "function-wrap",
                "function-after", "function-before", "tagged-union", "default", "nullable"}


def clean_loc(loc: tuple) -> str:
    parts = [str(part) for part in loc
             if not any(c in str(part) for c in "[]{}()") and str(part).lower() not in _LOC_MARKERS]
    return ".".join(parts or [str(part) for part in loc])


def model_validator_failed(body: dict, message: str, param: str | None, vllm_error: bool) -> ApiError:
    """A `@model_validator(mode="before")` of vLLM's request models rejecting the whole body."""
    exception = "VLLMValidationError" if vllm_error else "ValueError"
    error = {"type": "value_error", "loc": ("body",), "msg": f"Value error, {message}",
             "input": body, "ctx": {"error": ReprText(f"{exception}({message!r})")}}
    return validation_failed([error], param or "body")
