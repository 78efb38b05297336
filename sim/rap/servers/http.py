"""``returns-sim serve --http [HOST:]PORT``: rap/1 over HTTP/1.1, served by uvicorn.

uvicorn, with httptools (llhttp, the parser of Node.js) and uvloop, does the framing: one
``Content-Length`` of digits only, conflicting lengths refused, a body cut short never handed
to the app as a whole. This module
adds what rap/1 asks of a transport on top of it (docs/protocol.md, "Transports"):

- every error is a JSON envelope, also those the parser raises before the app sees a request
  (malformed request line or headers: 400, request line and headers over 16 KiB: 431);
- at most :data:`MAX_CONNECTIONS` connections (the next one gets a 503 envelope and is
  closed), each closed after :data:`IDLE_TIMEOUT` seconds without a request, also before its
  first one;
- SIGINT and SIGTERM stop accepting, finish the requests in flight (up to
  :data:`GRACE` seconds) and exit 0;
- ``TCP_NODELAY`` on every connection, so round trips stay sub-millisecond.

Binding beyond loopback needs ``--allow-remote``: the API has no authentication and ``reset``
wipes the engine.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import signal
import socket
import sys
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any, cast

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from sim.core.errors import ErrorCode
from sim.core.port import EnginePort
from sim.rap.servers.http_app import (
    HELLO_PATH,
    MAX_BODY,
    MAX_HEADER_BYTES,
    RPC_PATH,
    RapApp,
    error_body,
    request_problem,
)

__all__ = ["HELLO_PATH", "MAX_BODY", "RPC_PATH", "is_loopback", "serve"]

MAX_CONNECTIONS = 256
"""Most open connections; the next one is answered 503 and closed."""
IDLE_TIMEOUT = 30
"""Seconds a connection may stay open without a request in progress."""
GRACE = 10
"""Seconds given to requests in flight when the server is asked to stop."""


class RapProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with rap/1's error bodies, a cap on connections and on
    the size of a request's head, and an idle timeout that also covers a connection that
    never sends a request."""

    max_connections = MAX_CONNECTIONS
    """Set per server by :func:`config` (a subclass per server)."""
    _head_bytes = 0
    _head_too_large = False

    def connection_made(self, transport: Any) -> None:
        super().connection_made(cast(asyncio.Transport, _Coalescing(transport, self.loop)))
        sock = transport.get_extra_info("socket")
        if sock is not None:  # headers and body leave in separate writes: no Nagle delay
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if len(self.connections) > self.max_connections:
            body = error_body(
                ErrorCode.INVALID_ARGS, f"the server holds at most {self.max_connections} "
                "connections; try again later", {"field": "connection", "value": None},
            )
            self._reply_and_close(503, body)
            return
        self._arm_idle_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.cycle is None or self.cycle.response_complete:
            self._arm_idle_timer()  # between requests (also a half-sent request line)

    def _arm_idle_timer(self) -> None:
        if self.timeout_keep_alive_task is None and not self.transport.is_closing():
            self.timeout_keep_alive_task = self.loop.call_later(
                self.timeout_keep_alive, self.timeout_keep_alive_handler
            )

    # The parser's callbacks: count the head's bytes as they are parsed.

    def on_message_begin(self) -> None:
        self._head_bytes = 0
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        self._count_head(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_head(len(name) + len(value) + 4)
        super().on_header(name, value)

    def _count_head(self, size: int) -> None:
        self._head_bytes += size
        if self._head_bytes > MAX_HEADER_BYTES:
            self._head_too_large = True
            raise ValueError("request head too large")  # the parser stops: see below

    def send_400_response(self, msg: str) -> None:
        """The parser refused the request line or headers (called inside its ``except``)."""
        exc = sys.exc_info()[1]
        if self._head_too_large:
            status, body = 431, request_problem(
                "headers", None, f"request line and headers are limited to {MAX_HEADER_BYTES} "
                "bytes",
            )
        else:
            problem = str(exc) if exc is not None else msg
            status, body = 400, request_problem(
                "request", problem[:200], "not a valid HTTP/1.1 request"
            )
        self._reply_and_close(status, body)

    def _reply_and_close(self, status: int, body: bytes) -> None:
        """Answer outside any request cycle and close."""
        head = (
            f"HTTP/1.1 {status} {_phrase(status)}\r\n"
            "content-type: application/json; charset=utf-8\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
        ).encode("ascii")
        if not self.transport.is_closing():
            self.transport.write(head + body)
            self.transport.close()


class _Coalescing:
    """A transport that sends a response's head together with its body: uvicorn writes them
    separately, and two small packets cost a loopback round trip far more than one (measured:
    bench/http_load.py). A head is held until the next write (the body, in the same loop
    iteration) or, failing that, the end of the iteration."""

    def __init__(self, transport: Any, loop: Any) -> None:
        self._transport = transport
        self._loop = loop
        self._head: bytes | None = None

    def write(self, data: bytes) -> None:
        if self._head is not None:
            data, self._head = self._head + bytes(data), None
            self._transport.write(data)
        elif data[:5] == b"HTTP/" and data[-4:] == b"\r\n\r\n":
            self._head = bytes(data)
            self._loop.call_soon(self._flush)
        else:
            self._transport.write(data)

    def _flush(self) -> None:
        if self._head is not None:
            head, self._head = self._head, None
            if not self._transport.is_closing():
                self._transport.write(head)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class _Server(uvicorn.Server):
    """uvicorn's server, except that a stop signal ends it with exit status 0 instead of
    re-raising the signal once the graceful shutdown is done."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        previous = {s: signal.signal(s, self.handle_exit) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def config(
    engine: EnginePort, *, max_connections: int = MAX_CONNECTIONS,
    idle_timeout: int = IDLE_TIMEOUT,
) -> uvicorn.Config:
    """The uvicorn configuration of a rap/1 server."""
    protocol = type("RapProtocol", (RapProtocol,), {"max_connections": max_connections})
    return uvicorn.Config(
        RapApp(engine),
        http=protocol,
        loop="auto",  # uvloop where installed (not on Windows), else asyncio
        lifespan="off",
        log_config=None,
        log_level=logging.ERROR,
        access_log=False,
        proxy_headers=False,
        server_header=False,
        date_header=False,
        timeout_keep_alive=idle_timeout,
        timeout_graceful_shutdown=GRACE,
        backlog=max_connections,
    )


def serve(
    engine: EnginePort, host: str, port: int, *, allow_remote: bool = False,
    max_connections: int = MAX_CONNECTIONS, idle_timeout: int = IDLE_TIMEOUT,
) -> int:
    """Serve until SIGINT or SIGTERM, then finish what is in flight and exit 0. The address
    actually bound (port 0 picks a free one) is announced on stderr."""
    if not is_loopback(host) and not allow_remote:
        print(
            f"returns-sim serve: refusing to listen on {host}: the rap/1 API has no "
            "authentication and `reset` wipes the engine; pass --allow-remote to listen beyond "
            "this machine's loopback interface",
            file=sys.stderr,
        )
        return 2
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(max_connections)
    except OSError as exc:
        print(f"returns-sim serve: cannot listen on {host}:{port}: {exc}", file=sys.stderr)
        return 1
    if not is_loopback(host):
        print(f"returns-sim serve: warning: listening beyond loopback on {host}; anyone who "
              "can reach it can drive and reset the engine", file=sys.stderr)
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if family == socket.AF_INET6 else bound_host
    logging.getLogger("uvicorn.error").setLevel(logging.ERROR)
    server = _Server(config(engine, max_connections=max_connections,
                            idle_timeout=idle_timeout))
    print(f"listening on http://{shown}:{bound_port}", file=sys.stderr, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])
    return 0

