"""An implementation serving rap/1 over HTTP (``POST /v1/rpc``)."""

from __future__ import annotations

import http.client
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from sim.core.port import (
    ImplementationCrashed,
    ImplementationTimeout,
    ProtocolViolation,
)
from sim.rap.clients.child import MAX_ANSWER
from sim.rap.clients.wire import WireClient
from sim.rap.envelope import parse, to_bytes


class HttpClient(WireClient):
    """An implementation serving rap/1 at ``base_url`` (``POST /v1/rpc``), over one
    keep-alive connection that is reopened after any failure."""

    def __init__(self, base_url: str, timeout: float = 5.0) -> None:
        super().__init__()
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"expected a base URL like http://127.0.0.1:8080, got {base_url!r}")
        try:
            port = parts.port or 80
        except ValueError:
            raise ValueError(f"bad port in base URL {base_url!r}") from None
        self.base_url = base_url
        self.timeout = timeout
        self._host = parts.hostname
        self._port = port
        self._prefix = parts.path.rstrip("/")
        self._conn: http.client.HTTPConnection | None = None

    def _exchange(self, request: Mapping[str, Any]) -> Any:
        status, data = self._post(to_bytes(request))
        return self._answer(status, data)

    def post_body(self, body: bytes) -> tuple[int, Any]:
        """POST raw bytes to /v1/rpc; (HTTP status, parsed answer) for 200 and 400."""
        with self._lock:
            status, data = self._post(body)
            return status, self._answer(status, data)

    def get(self, path: str) -> tuple[int, Any]:
        """GET a path (e.g. ``/v1/hello``); (status, parsed answer) for 200 and 400."""
        with self._lock:
            status, data = self._send("GET", path, None)
            return status, self._answer(status, data)

    def _answer(self, status: int, data: bytes) -> Any:
        if status not in (200, 400):
            raise ImplementationCrashed(
                f"{self.base_url} answered HTTP {status}: {data[:200]!r}"
            )
        try:
            return parse(data)
        except (ValueError, RecursionError) as exc:
            raise ProtocolViolation(
                f"{self.base_url} answered HTTP {status} with a body that is not JSON ({exc}): "
                f"{data[:200]!r}"
            ) from None

    def _post(self, body: bytes) -> tuple[int, bytes]:
        return self._send("POST", "/v1/rpc", body)

    def _send(self, method: str, path: str, body: bytes | None) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        for attempt in (1, 2):
            reused = self._conn is not None
            conn = self._connection()
            try:
                conn.request(method, self._prefix + path, body, headers)
                response = conn.getresponse()
                if (response.length or 0) > MAX_ANSWER:
                    self._disconnect()
                    raise ProtocolViolation(
                        f"{self.base_url} announced an answer of {response.length} bytes, over "
                        f"the {MAX_ANSWER} a client reads"
                    )
                data = response.read(MAX_ANSWER + 1)
                if len(data) > MAX_ANSWER:
                    self._disconnect()
                    raise ProtocolViolation(
                        f"{self.base_url} answered with more than {MAX_ANSWER} bytes"
                    )
            except TimeoutError:
                self._disconnect()
                raise ImplementationTimeout(
                    f"{self.base_url} gave no answer within {self.timeout:g} s"
                ) from None
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self._disconnect()
                # A kept-alive connection the server has since closed: try once on a new one.
                if reused and attempt == 1:
                    continue
                raise ImplementationCrashed(f"{self.base_url}: connection lost ({exc})") from None
            except (OSError, http.client.HTTPException) as exc:
                self._disconnect()
                raise ImplementationCrashed(f"{self.base_url}: {exc}") from None
            if response.will_close:
                self._disconnect()
            return response.status, data
        raise AssertionError("unreachable")  # pragma: no cover

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self._host, self._port, timeout=self.timeout)
        return self._conn

    def _disconnect(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def resync(self) -> None:
        """Drop the connection: a stale answer on it would be read as the next one's."""
        self._disconnect()

    def close_port(self) -> None:
        with self._lock:
            self._disconnect()


