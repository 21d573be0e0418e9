"""Incremental HTTP/1.1 request parser: request line, headers, Content-Length or chunked body.

Bytes come in as the socket delivers them; `next_request` returns each complete request once.
Anything malformed raises `HttpParseError` carrying the status to answer with before closing.
"""

import re
from dataclasses import dataclass

MAX_HEAD_BYTES = 64 * 1024
MAX_BODY_BYTES = 16 * 1024 * 1024

_TOKEN = re.compile(rb"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_REQUEST_LINE = re.compile(rb"^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) HTTP/(1\.[01])$")
_HEX = re.compile(rb"^[0-9A-Fa-f]{1,16}$")


class HttpParseError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass
class HttpRequest:
    method: str
    path: str
    query: str
    headers: dict
    body: bytes
    keep_alive: bool

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)


class RequestParser:
    """Holds unparsed bytes of one connection; pipelined requests come out one by one."""

    def __init__(self, max_body: int = MAX_BODY_BYTES):
        self._buffer = bytearray()
        self._max_body = max_body
        self._head: tuple | None = None     # (method, target, version, headers) awaiting its body
        self._continue_pending = False
        self.expects_continue = False       # the client waits for "100 Continue" before the body

    def feed(self, data: bytes) -> None:
        self._buffer += data

    @property
    def buffered(self) -> int:
        return len(self._buffer)

    def next_request(self) -> HttpRequest | None:
        if self._head is None:
            self._head = self._parse_head()
            if self._head is None:
                return None
            self._continue_pending = self._head[3].get("expect", "").lower() == "100-continue"
        body = self._take_body(self._head[3])
        if body is None:
            self.expects_continue, self._continue_pending = self._continue_pending, False
            return None
        method, target, version, headers = self._head
        self._head, self.expects_continue = None, False
        path, _, query = target.partition("?")
        return HttpRequest(method, path, query, headers, body, _keep_alive(version, headers))

    def _parse_head(self) -> tuple | None:
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self._buffer) > MAX_HEAD_BYTES:
                raise HttpParseError(431, "Request header fields too large")
            return None
        lines = bytes(self._buffer[:end]).split(b"\r\n")
        del self._buffer[:end + 4]
        match = _REQUEST_LINE.match(lines[0])
        if match is None:
            raise HttpParseError(400, "Invalid HTTP request line")
        headers = _parse_headers(lines[1:])
        _check_framing(headers, self._max_body)
        return match.group(1).decode(), match.group(2).decode("latin-1"), match.group(3).decode(), headers

    def _take_body(self, headers: dict) -> bytes | None:
        if headers.get("transfer-encoding"):
            return self._take_chunked()
        length = int(headers.get("content-length", "0"))
        if len(self._buffer) < length:
            return None
        body = bytes(self._buffer[:length])
        del self._buffer[:length]
        return body

    def _take_chunked(self) -> bytes | None:
        """Decode a chunked body once all of it has arrived; until then only chunk headers are read."""
        spans, pos, total = [], 0, 0
        buffer = self._buffer
        while True:
            line_end = buffer.find(b"\r\n", pos)
            if line_end < 0:
                return self._incomplete(len(buffer) - pos)
            size_text = bytes(buffer[pos:line_end]).split(b";", 1)[0].strip()
            if not _HEX.match(size_text):
                raise HttpParseError(400, "Invalid chunk size")
            size = int(size_text, 16)
            total += size
            if total > self._max_body:
                raise HttpParseError(413, "Request body too large")
            if size == 0:
                return self._finish_chunked(spans, line_end + 2)
            data_end = line_end + 2 + size
            if len(buffer) < data_end + 2:
                return None
            if buffer[data_end:data_end + 2] != b"\r\n":
                raise HttpParseError(400, "Invalid chunk terminator")
            spans.append((line_end + 2, data_end))
            pos = data_end + 2

    def _finish_chunked(self, spans: list, trailer_start: int) -> bytes | None:
        if self._buffer[trailer_start:trailer_start + 2] == b"\r\n":
            end = trailer_start + 2
        else:
            trailer_end = self._buffer.find(b"\r\n\r\n", trailer_start)
            if trailer_end < 0:
                return self._incomplete(len(self._buffer) - trailer_start)
            end = trailer_end + 4
        body = b"".join(bytes(self._buffer[start:stop]) for start, stop in spans)
        del self._buffer[:end]
        return body

    def _incomplete(self, pending_line_bytes: int) -> None:
        if pending_line_bytes > MAX_HEAD_BYTES:
            raise HttpParseError(400, "Invalid chunked body")
        return None


def _parse_headers(lines: list[bytes]) -> dict:
    headers = {}
    for line in lines:
        name, colon, value = line.partition(b":")
        if not colon or not _TOKEN.match(name):
            raise HttpParseError(400, "Invalid HTTP header")
        key = name.decode().lower()
        text = value.strip().decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers


def _check_framing(headers: dict, max_body: int) -> None:
    encoding = headers.get("transfer-encoding")
    length = headers.get("content-length")
    if encoding is not None:
        if length is not None or encoding.lower().split(",")[-1].strip() != "chunked":
            raise HttpParseError(400, "Unsupported transfer encoding")
        return
    if length is None:
        return
    if not length.isdigit():
        raise HttpParseError(400, "Invalid Content-Length")
    if int(length) > max_body:
        raise HttpParseError(413, "Request body too large")


def _keep_alive(version: str, headers: dict) -> bool:
    connection = headers.get("connection", "").lower()
    if version == "1.0":
        return "keep-alive" in connection
    return "close" not in connection
