"""Hand-written asyncio HTTP/1.1 server: keep-alive, pipelining, chunked streaming responses.

One `HttpConnection` per socket parses requests and hands each to the application together with a
`Responder`. Handlers answer synchronously or later (streams are written by the engine's step
loop directly into the transport). A connection that closes while a response is in progress
calls the responder's `on_disconnect`, which is how a client disconnect becomes an engine abort.
"""

import asyncio
import logging
from http import HTTPStatus

from .http_parser import HttpParseError, HttpRequest, RequestParser

log = logging.getLogger("llmsim.http")

SSE_CONTENT_TYPE = "text/event-stream; charset=utf-8"
JSON_CONTENT_TYPE = "application/json"
# A client that stops reading gets this much buffered output before it is cut off.
MAX_WRITE_BUFFER = 64 * 1024 * 1024
MAX_PIPELINED_BYTES = 1024 * 1024
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
_LAST_CHUNK = b"0\r\n\r\n"
INTERNAL_ERROR = b'{"error":{"message":"Internal Server Error","type":"InternalServerError","param":null,"code":500}}'


def status_line(status: int) -> bytes:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Unknown"
    return f"HTTP/1.1 {status} {phrase}\r\n".encode()


class Responder:
    """Writes the one response to one request; tells the connection when it is complete."""

    __slots__ = ("_connection", "_transport", "keep_alive", "started", "done", "closed", "on_disconnect")

    def __init__(self, connection: "HttpConnection", keep_alive: bool):
        self._connection = connection
        self._transport = connection.transport
        self.keep_alive = keep_alive
        self.started = False
        self.done = False
        self.closed = False
        self.on_disconnect = None

    def send(self, status: int, body: bytes, content_type: str | None = JSON_CONTENT_TYPE,
             headers: dict | None = None) -> None:
        """A complete response with Content-Length."""
        head = self._head(status, content_type, headers) + b"content-length: %d\r\n\r\n" % len(body)
        self.started = True
        self._write(head + body)
        self._complete()

    def start_stream(self, status: int = 200, content_type: str = SSE_CONTENT_TYPE,
                     headers: dict | None = None) -> None:
        self.started = True
        self._write(self._head(status, content_type, headers) + b"transfer-encoding: chunked\r\n\r\n")

    def write_chunk(self, payload: bytes) -> None:
        """One HTTP chunk (one SSE event, say); the stream's hot path."""
        self._write(b"%x\r\n%b\r\n" % (len(payload), payload))

    def write_chunks(self, payloads) -> None:
        self._write(b"".join(b"%x\r\n%b\r\n" % (len(payload), payload) for payload in payloads))

    def end_stream(self, last_chunks: list[bytes] = ()) -> None:
        """Write the final chunks and the terminating zero-length chunk in one go."""
        framed = [b"%x\r\n%b\r\n" % (len(payload), payload) for payload in last_chunks]
        framed.append(_LAST_CHUNK)
        self._write(b"".join(framed))
        self._complete()

    def _head(self, status: int, content_type: str, headers: dict | None) -> bytes:
        lines = [status_line(status)]
        if content_type is not None:
            lines += [b"content-type: ", content_type.encode(), b"\r\n"]
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}\r\n".encode("latin-1"))
        if not self.keep_alive:
            lines.append(b"connection: close\r\n")
        return b"".join(lines)

    def _write(self, data: bytes) -> None:
        if self.closed:
            return
        transport = self._transport
        if transport.is_closing():
            self._connection.lost_while_writing()
            return
        transport.write(data)
        if transport.get_write_buffer_size() > MAX_WRITE_BUFFER:
            transport.abort()

    def _complete(self) -> None:
        if not self.done:
            self.done = True
            self._connection.response_done(self)


class HttpConnection(asyncio.Protocol):
    """Protocol instance for one client socket."""

    def __init__(self, app, registry: set):
        self._app = app
        self._registry = registry
        self._parser = RequestParser()
        self._current: Responder | None = None
        self._processing = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        self._registry.add(self)

    def data_received(self, data: bytes) -> None:
        self._parser.feed(data)
        if self._current is not None and self._parser.buffered > MAX_PIPELINED_BYTES:
            self.transport.pause_reading()  # a client pipelining faster than we answer waits its turn
        self._process()

    def eof_received(self) -> bool:
        return False  # a half-closed client is treated as gone, as uvicorn does

    def connection_lost(self, exc: Exception | None) -> None:
        self._registry.discard(self)
        self._disconnect()

    def lost_while_writing(self) -> None:
        self._disconnect()

    def response_done(self, responder: Responder) -> None:
        if responder is not self._current:
            return
        self._current = None
        if not responder.keep_alive:
            self.transport.close()
            return
        self.transport.resume_reading()
        if not self._processing:
            self._process()

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def _disconnect(self) -> None:
        responder, self._current = self._current, None
        if responder is not None and not responder.closed:
            responder.closed = True
            if responder.on_disconnect is not None and not responder.done:
                responder.on_disconnect()

    def _process(self) -> None:
        """Dispatch complete requests one at a time (HTTP/1.1 answers in order)."""
        self._processing = True
        try:
            while self._current is None and not self.transport.is_closing():
                request = self._next_request()
                if request is None:
                    break
                self._dispatch(request)
        finally:
            self._processing = False

    def _next_request(self) -> HttpRequest | None:
        try:
            request = self._parser.next_request()
        except HttpParseError as error:
            self._reject(error)
            return None
        if request is None and self._parser.expects_continue:
            self._parser.expects_continue = False
            self.transport.write(_CONTINUE)
        return request

    def _dispatch(self, request: HttpRequest) -> None:
        responder = Responder(self, request.keep_alive)
        self._current = responder
        try:
            self._app.handle(request, responder)
        except Exception:  # a bug in a handler must not take the server down
            log.exception("Exception in request handler for %s %s", request.method, request.path)
            if not responder.started:
                responder.send(500, INTERNAL_ERROR)

    def _reject(self, error: HttpParseError) -> None:
        responder = Responder(self, keep_alive=False)
        self._current = responder
        body = ('{"detail":"%s"}' % error).encode()
        responder.send(error.status, body)


async def start_http_server(app, host: str, port: int):
    """Listen on host:port (0 = ephemeral); returns (server, open connections)."""
    connections: set = set()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: HttpConnection(app, connections), host, port,
                                      reuse_address=True, backlog=2048)
    return server, connections
