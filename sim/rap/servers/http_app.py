"""The rap/1 HTTP API as a minimal ASGI application (served by uvicorn, see ``http.py``).

``POST /v1/rpc`` takes one request object, or a batch (a JSON array, answered by an array in
the same order); ``GET /v1/hello`` answers like the ``hello`` op. Domain refusals are HTTP 200
with ``ok: false``; everything else that goes wrong is an HTTP error whose body is a rap/1
error envelope too, so a client always has JSON to read (docs/protocol.md, "Transports").

The engine runs in the event loop's thread: one request at a time, no lock needed, and no
thread hop on the hot path. Every request's work is bounded (body size, batch length, ids per
``authorize_batch``), and a batch yields to the loop between its requests, so one client's
large batch cannot hold up the others for long.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from sim.core.errors import EngineError, ErrorCode, invalid_args, show_value
from sim.core.port import EnginePort
from sim.rap.envelope import Envelope, invalid_json, parse, refusal, safe_handle, success, to_bytes

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

MAX_BODY = 1 << 20
"""Largest request body accepted (1 MiB)."""
MAX_BATCH = 1000
"""Most requests in one HTTP batch (a JSON array)."""
MAX_TARGET = 2048
"""Longest request target (path and query) accepted, in bytes."""
MAX_HEADER_BYTES = 16 << 10
"""Most bytes of request line and headers accepted (counted as the parser reads them)."""
DRAIN_LIMIT = 16 << 20
"""A body declared over :data:`MAX_BODY` but under this is read and dropped before the 413."""
BODY_TIMEOUT = 10.0
"""Seconds a client may take to send the rest of a body once it has started."""

RPC_PATH = "/v1/rpc"
HELLO_PATH = "/v1/hello"
_ALLOWED = {RPC_PATH: "POST", HELLO_PATH: "GET"}
_JSON = (b"content-type", b"application/json; charset=utf-8")


def error_body(code: ErrorCode, message: str, details: dict[str, Any]) -> bytes:
    """An HTTP error's body: a rap/1 refusal envelope with ``seq: null``."""
    return to_bytes(refusal(None, EngineError(code, message, details)))


def request_problem(field: str, value: Any, problem: str) -> bytes:
    """``invalid_args`` about the HTTP request itself (its framing, headers or size)."""
    return to_bytes(refusal(None, invalid_args(field, value, problem)))


class RapApp:
    """ASGI app: one engine, the routes of rap/1 over HTTP, every answer a JSON envelope."""

    def __init__(self, engine: EnginePort) -> None:
        self.engine = engine

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan is off; nothing else is served
            return
        problem = self._frame_problem(scope)
        if problem is not None:
            status, body, extra = problem
            await self._send(send, status, body, extra, close=True)
            return
        path = scope["path"]
        method = scope["method"]
        allowed = _ALLOWED.get(path)
        if allowed is None:
            body = error_body(
                ErrorCode.UNKNOWN_OP, f"no such path {show_value(path)}; rap/1 is served at "
                f"POST {RPC_PATH} and GET {HELLO_PATH}", {"path": path[:200]},
            )
            await self._send(send, 404, body, close=not await self._drained(scope, receive))
        elif method != allowed:
            body = error_body(
                ErrorCode.UNKNOWN_OP, f"{show_value(method)} is not allowed on {path}; use "
                f"{allowed}", {"method": method[:50], "allowed": [allowed]},
            )
            await self._send(send, 405, body, [(b"allow", allowed.encode())],
                             close=not await self._drained(scope, receive))
        elif method == "GET":
            envelope = safe_handle(self.engine, {"seq": 0, "op": "hello"})
            if envelope["ok"]:
                envelope = success(None, envelope["result"])
            await self._send(send, 200, to_bytes(envelope))
        else:
            await self._rpc(scope, receive, send)

    # ------------------------------------------------------------------ framing

    def _frame_problem(
        self, scope: Scope
    ) -> tuple[int, bytes, list[tuple[bytes, bytes]]] | None:
        """What is wrong with the request line and headers, before any body is read."""
        version = scope.get("http_version")
        if version not in ("1.0", "1.1"):
            return 505, request_problem(
                "http_version", version, "rap/1 is served over HTTP/1.0 and HTTP/1.1"
            ), []
        target = len(scope.get("raw_path", b"")) + len(scope.get("query_string", b""))
        if target > MAX_TARGET:
            return 414, request_problem(
                "target", target, f"request targets are limited to {MAX_TARGET} bytes"
            ), []
        return None

    @staticmethod
    def _declared_length(scope: Scope) -> int | None:
        """The Content-Length h11 validated (one value, digits only), or ``None``."""
        for name, value in scope["headers"]:
            if name == b"content-length":
                return int(value)
        return None

    @staticmethod
    def _chunked(scope: Scope) -> bool:
        return any(n == b"transfer-encoding" for n, _ in scope["headers"])

    async def _drained(self, scope: Scope, receive: Receive) -> bool:
        """Read and drop a refused request's (small) body, so a kept-alive connection stays
        in step; ``False`` when the connection should rather be closed."""
        length = self._declared_length(scope)
        if length is None and not self._chunked(scope):
            return True
        if length is not None and length > MAX_BODY:
            return False
        return await self._read_body(receive, MAX_BODY) is not None

    async def _read_body(self, receive: Receive, limit: int) -> bytes | None:
        """The whole body, or ``None`` when the client went away, stalled, or sent more than
        ``limit`` bytes. A body cut short is never returned, so never executed."""
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            try:
                async with asyncio.timeout(BODY_TIMEOUT):
                    message = await receive()
            except TimeoutError:
                return None
            if message["type"] != "http.request":  # http.disconnect
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)

    # ------------------------------------------------------------------ rpc

    async def _rpc(self, scope: Scope, receive: Receive, send: Send) -> None:
        length = self._declared_length(scope)
        if length is None and not self._chunked(scope):
            body = request_problem("Content-Length", None, "a POST needs a Content-Length")
            await self._send(send, 411, body, close=True)
            return
        if length is not None and length > MAX_BODY:
            body = request_problem(
                "body", length, f"request bodies are limited to {MAX_BODY} bytes (1 MiB)"
            )
            # Read (and drop) a body of moderate size, so the client gets to read the 413
            # rather than a broken pipe; a larger one just gets the connection closed.
            drained = length <= DRAIN_LIMIT and await self._read_body(receive, DRAIN_LIMIT)
            await self._send(send, 413, body, close=not drained)
            return
        data = await self._read_body(receive, MAX_BODY)
        if data is None:  # gone, stalled or (chunked) too long: nothing is executed
            body = request_problem(
                "body", None, f"the body did not arrive whole within {BODY_TIMEOUT:g} s "
                f"or is over {MAX_BODY} bytes",
            )
            await self._send(send, 413 if length is None else 408, body, close=True)
            return
        try:
            request = parse(data)
        except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
            await self._send(send, 400, to_bytes(invalid_json(str(exc)[:200] or
                                                              type(exc).__name__)))
            return
        answer: Envelope | list[Envelope]
        if type(request) is list:
            if not request:
                error = invalid_args("request", [], "a batch must hold at least one request")
                await self._send(send, 400, to_bytes(refusal(None, error)))
                return
            if len(request) > MAX_BATCH:
                error = invalid_args(
                    "request", len(request), f"a batch holds at most {MAX_BATCH} requests"
                )
                await self._send(send, 413, to_bytes(refusal(None, error)))
                return
            answer = []
            for item in request:
                answer.append(safe_handle(self.engine, item))
                await asyncio.sleep(0)  # let other clients in between the batch's requests
        else:
            answer = safe_handle(self.engine, request)
        await self._send(send, 200, to_bytes(answer))

    # ------------------------------------------------------------------ answers

    @staticmethod
    async def _send(
        send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]] | None = None,
        *, close: bool = False,
    ) -> None:
        headers = [_JSON, (b"content-length", str(len(body)).encode()), *(extra or ())]
        if close:
            headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
