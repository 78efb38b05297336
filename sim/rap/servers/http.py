"""``returns-sim serve --http [HOST:]PORT``: rap/1 over HTTP/1.1.

``POST /v1/rpc`` takes one request object, or a batch (a JSON array, answered by an array in
the same order); ``GET /v1/hello`` answers like the ``hello`` op. Domain refusals are HTTP 200
with ``ok: false``; a body that is not JSON (400), an empty batch (400), a body over 1 MiB
(413), an unknown path (404) or a wrong method (405) get an error envelope too, so a client
always has JSON to read. Requests run one at a time against the engine (a lock), in threads
so a slow client cannot hold up the others.
"""

from __future__ import annotations

import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

from sim.core.errors import EngineError, ErrorCode, invalid_args, show_value
from sim.core.port import EnginePort
from sim.rap.envelope import (
    Envelope,
    invalid_json,
    parse,
    refusal,
    safe_handle,
    success,
    to_bytes,
)

MAX_BODY = 1 << 20
"""Largest request body accepted (1 MiB)."""

_DRAIN_LIMIT = 64 << 20
"""A body over MAX_BODY but under this is read and dropped so the client sees the 413; a
larger one just gets the connection closed after the answer."""

RPC_PATH = "/v1/rpc"
HELLO_PATH = "/v1/hello"
_ALLOWED = {RPC_PATH: "POST", HELLO_PATH: "GET"}


class RapHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server holding one engine and the lock that serializes access to it."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], engine: EnginePort) -> None:
        super().__init__(address, RapRequestHandler)
        self.engine = engine
        self.lock = threading.Lock()

    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class RapRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: RapHTTPServer
    timeout = 300  # an idle keep-alive connection is dropped after this many seconds
    # Headers and body go out in separate writes; with Nagle on, the body waits for the
    # client's delayed ACK (~40 ms a request). Off, a round trip is well under a millisecond.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not logged: stderr stays for problems (see :meth:`log_error`)."""

    def log_error(self, format: str, *args: Any) -> None:
        sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    def do_POST(self) -> None:
        self._route("POST")

    def do_GET(self) -> None:
        self._route("GET")

    def do_PUT(self) -> None:
        self._route("PUT")

    def do_DELETE(self) -> None:
        self._route("DELETE")

    def do_PATCH(self) -> None:
        self._route("PATCH")

    def do_HEAD(self) -> None:
        self._route("HEAD")

    def do_OPTIONS(self) -> None:
        self._route("OPTIONS")

    # ------------------------------------------------------------------ routing

    def _route(self, method: str) -> None:
        path = urlsplit(self.path).path
        allowed = _ALLOWED.get(path)
        if allowed is None:
            error = EngineError(
                ErrorCode.UNKNOWN_OP, f"no such path {show_value(path)}; rap/1 is served at "
                f"POST {RPC_PATH} and GET {HELLO_PATH}", {"path": path[:200]},
            )
            self._discard_body()
            self._send(404, refusal(None, error))
        elif method != allowed:
            error = EngineError(
                ErrorCode.UNKNOWN_OP, f"{method} is not allowed on {path}; use {allowed}",
                {"method": method, "allowed": [allowed]},
            )
            self._discard_body()
            self._send(405, refusal(None, error), {"Allow": allowed})
        elif method == "GET":
            with self.server.lock:
                envelope = safe_handle(self.server.engine, {"seq": 0, "op": "hello"})
            if envelope["ok"]:
                envelope = success(None, envelope["result"])
            self._send(200, envelope)
        else:
            self._rpc()

    def _rpc(self) -> None:
        body = self._read_body()
        if body is None:
            return
        try:
            request = parse(body)
        except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
            self._send(400, invalid_json(str(exc)[:200] or type(exc).__name__))
            return
        engine = self.server.engine
        answer: Envelope | list[Envelope]
        if type(request) is list:
            if not request:
                error = invalid_args("request", [], "a batch must hold at least one request")
                self._send(400, refusal(None, error))
                return
            with self.server.lock:
                answer = [safe_handle(engine, item) for item in request]
        else:
            with self.server.lock:
                answer = safe_handle(engine, request)
        self._send(200, answer)

    # ------------------------------------------------------------------ bodies

    def _content_length(self) -> int | None:
        """The declared body length; ``None`` (after answering 400) when unusable."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            error = invalid_args("Transfer-Encoding", "chunked", "send a Content-Length body")
            self._send(400, refusal(None, error))
            return None
        raw = self.headers.get("Content-Length", "0")
        try:
            length = int(raw)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            error = invalid_args("Content-Length", raw[:100], "must be a whole number of bytes")
            self._send(400, refusal(None, error))
            return None
        return length

    def _read_body(self) -> bytes | None:
        length = self._content_length()
        if length is None:
            return None
        if length > MAX_BODY:
            if length <= _DRAIN_LIMIT:
                self._drain(length)
            else:
                self.close_connection = True
            error = invalid_args(
                "body", length, f"request bodies are limited to {MAX_BODY} bytes (1 MiB)"
            )
            self._send(413, refusal(None, error))
            return None
        return self.rfile.read(length)

    def _drain(self, length: int) -> None:
        while length > 0:
            chunk = self.rfile.read(min(length, 1 << 16))
            if not chunk:
                break
            length -= len(chunk)

    def _discard_body(self) -> None:
        """Keep a keep-alive connection in step when a request we refuse carried a body."""
        raw = self.headers.get("Content-Length")
        if raw is None:
            return
        try:
            length = int(raw)
        except ValueError:
            self.close_connection = True
            return
        if 0 < length <= _DRAIN_LIMIT:
            self._drain(length)
        elif length > _DRAIN_LIMIT:
            self.close_connection = True

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = to_bytes(payload)
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


def serve(engine: EnginePort, host: str, port: int) -> int:
    """Serve until SIGINT or SIGTERM, then shut down cleanly (exit status 0). The address
    actually bound (port 0 picks a free one) is announced on stderr."""
    try:
        server = RapHTTPServer((host, port), engine)
    except OSError as exc:
        print(f"returns-sim serve: cannot listen on {host}:{port}: {exc}", file=sys.stderr)
        return 1
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    worker = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name="rap-http", daemon=True)
    worker.start()
    print(f"listening on {server.url()}", file=sys.stderr, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.shutdown()
        server.server_close()
        worker.join(timeout=5)
        for s, handler in previous.items():
            signal.signal(s, handler)
    return 0
