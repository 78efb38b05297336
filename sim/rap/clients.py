"""Engine ports that speak rap/1 to another implementation: over stdio or over HTTP.

Each typed method encodes its arguments with :mod:`sim.rap.codec`, sends one request, and decodes
the answer strictly, so the simulator, the Gherkin steps and the conformance harness drive a
foreign engine exactly as they drive the reference one. What goes wrong is kept apart: a
refusal is :class:`EngineError`; no answer in time is :class:`ImplementationTimeout`; a dead
process, a refused connection or a non-rap/1 HTTP status is :class:`ImplementationCrashed`; an
answer that breaks the contract is :class:`ProtocolViolation`.
"""

from __future__ import annotations

import http.client
import os
import queue
import selectors
import shlex
import subprocess
import threading
import time
from collections import deque
from collections.abc import Mapping, Sequence
from typing import IO, Any
from urllib.parse import urlsplit

from sim.core.port import (
    EnginePort,
    ImplementationCrashed,
    ImplementationTimeout,
    ProtocolViolation,
)
from sim.core.values import (
    Address,
    BatchOutcome,
    Hello,
    Instant,
    LabelChoice,
    Order,
    Outcome,
    Plan,
    Policy,
    ReturnRecord,
    ReturnRequest,
    Seller,
    SettingsPatch,
)
from sim.rap import codec
from sim.rap.envelope import parse, to_bytes


class WireClient:
    """The typed EnginePort methods on top of one request/response exchange.

    Subclass it and give ``_exchange`` (one request object in, the parsed response out) and
    ``close_port``: the stdio and HTTP clients do, and so does the simulator's tracing port,
    which wraps any other port to record every rap/1 exchange."""

    def __init__(self) -> None:
        self._seq = 0
        self._lock = threading.Lock()

    def _exchange(self, request: Mapping[str, Any]) -> Any:
        """Send one request, return the parsed answer (transport failures raised)."""
        raise NotImplementedError

    def close_port(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> WireClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close_port()

    def execute(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """Send a raw request as given; the raw envelope comes back. When the request has an
        int ``seq`` the answer must echo it."""
        with self._lock:
            response = self._exchange(request)
        if type(response) is not dict:
            raise codec.result_fail("response", response, "must be a JSON object")
        seq = request.get("seq")
        if type(seq) is int and (type(response.get("seq")) is not int or response["seq"] != seq):
            raise codec.result_fail("seq", response.get("seq"), f"must echo the request's {seq}")
        return response

    def _call(self, op: str, args: Mapping[str, Any]) -> Any:
        with self._lock:
            self._seq += 1
            seq = self._seq
            response = self._exchange({"seq": seq, "op": op, "args": args})
        return codec.read_envelope(response, seq)

    # ------------------------------------------------------------------ EnginePort

    def hello(self) -> Hello:
        return codec.decode_hello_result(self._call("hello", {}))

    def reset(self) -> None:
        codec.decode_empty_result(self._call("reset", {}))

    def set_policy(self, policy: Policy) -> Policy:
        return codec.decode_policy_result(self._call("set_policy", codec.set_policy_args(policy)))

    def register_seller(self, seller_id: str, plan: Plan, settings: SettingsPatch) -> Seller:
        args = codec.register_seller_args(seller_id, plan, settings)
        return codec.decode_seller_result(self._call("register_seller", args))

    def update_seller(self, seller_id: str, settings: SettingsPatch) -> Seller:
        args = codec.update_seller_args(seller_id, settings)
        return codec.decode_seller_result(self._call("update_seller", args))

    def place_order(self, order: Order) -> Order:
        return codec.decode_order_result(self._call("place_order", codec.place_order_args(order)))

    def request_return(self, request: ReturnRequest) -> Outcome:
        args = codec.request_return_args(request)
        return codec.decode_outcome_result(self._call("request_return", args))

    def authorize(
        self,
        return_id: str,
        at: Instant,
        *,
        rma: str | None = None,
        label: LabelChoice | None = None,
        return_address_id: str | None = None,
        return_address: Address | None = None,
    ) -> Outcome:
        args = codec.authorize_args(
            codec.AuthorizeArgs(return_id, at, rma, label, return_address_id, return_address)
        )
        return codec.decode_outcome_result(self._call("authorize", args))

    def authorize_batch(self, return_ids: Sequence[str], at: Instant) -> BatchOutcome:
        args = codec.authorize_batch_args(return_ids, at)
        return codec.decode_batch_result(self._call("authorize_batch", args))

    def close(self, return_id: str, at: Instant) -> Outcome:
        args = codec.close_args(return_id, at)
        return codec.decode_outcome_result(self._call("close", args))

    def reply(self, return_id: str, at: Instant, message: str) -> Outcome:
        args = codec.reply_args(return_id, at, message)
        return codec.decode_outcome_result(self._call("reply", args))

    def receive(self, seller_id: str, rma: str, at: Instant) -> ReturnRecord:
        args = codec.receive_args(seller_id, rma, at)
        return codec.decode_return_result(self._call("receive", args))

    def get_return(self, return_id: str) -> ReturnRecord:
        args = codec.get_return_args(return_id)
        return codec.decode_return_result(self._call("get_return", args))


# --------------------------------------------------------------------------- stdio

_STDERR_TAIL = 4096


class _Child:
    """One running implementation process, its stdout lines in a queue (a reader thread) and
    the tail of its stderr (a drain thread, so a chatty child never blocks on a full pipe)."""

    def __init__(self, argv: Sequence[str]) -> None:
        try:
            self.proc = subprocess.Popen(
                list(argv), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError as exc:
            raise ImplementationCrashed(f"cannot start {shlex.join(argv)}: {exc}") from exc
        assert self.proc.stdin and self.proc.stdout and self.proc.stderr
        self.stdin_fd = self.proc.stdin.fileno()
        os.set_blocking(self.stdin_fd, False)
        self.lines: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self.stderr_tail: deque[bytes] = deque()
        self._stderr_size = 0
        self._threads = [
            threading.Thread(target=self._read_stdout, args=(self.proc.stdout,), daemon=True),
            threading.Thread(target=self._drain_stderr, args=(self.proc.stderr,), daemon=True),
        ]
        for t in self._threads:
            t.start()

    def _read_stdout(self, stream: IO[bytes]) -> None:
        try:
            for line in iter(stream.readline, b""):
                self.lines.put(line)
        except (OSError, ValueError):
            pass
        self.lines.put(None)

    def _drain_stderr(self, stream: IO[bytes]) -> None:
        try:
            fd = stream.fileno()
            for chunk in iter(lambda: os.read(fd, 4096), b""):
                self.stderr_tail.append(chunk)
                self._stderr_size += len(chunk)
                while self._stderr_size > _STDERR_TAIL and len(self.stderr_tail) > 1:
                    self._stderr_size -= len(self.stderr_tail.popleft())
        except (OSError, ValueError):
            pass

    def stderr_text(self) -> str:
        text = b"".join(self.stderr_tail)[-_STDERR_TAIL:].decode("utf-8", "replace").strip()
        return f"; stderr: {text}" if text else ""

    def write(self, data: bytes, deadline: float) -> None:
        """Write all of ``data`` before ``deadline`` (a child that stops reading is a timeout,
        not a hang of the harness)."""
        view = memoryview(data)
        with selectors.DefaultSelector() as sel:
            sel.register(self.stdin_fd, selectors.EVENT_WRITE)
            while view:
                try:
                    sent = os.write(self.stdin_fd, view)
                    view = view[sent:]
                    continue
                except BlockingIOError:
                    pass
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not sel.select(remaining):
                    raise TimeoutError

    def stop(self, grace: float) -> int | None:
        """Close stdin (EOF asks the child to exit 0), wait ``grace`` s, then kill."""
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            code = self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        for t in self._threads:
            t.join(timeout=1)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        return code


class StdioClient(WireClient):
    """An implementation run as a subprocess (no shell) speaking rap/1 NDJSON on its stdio.

    After a crash, a timeout or an answer that puts the stream out of step, the process is
    stopped and the next call starts a fresh one (with fresh state): one broken scenario must
    not sink a whole conformance run.
    """

    def __init__(self, argv: Sequence[str] | str, timeout: float = 5.0) -> None:
        super().__init__()
        self.argv = shlex.split(argv) if isinstance(argv, str) else list(argv)
        if not self.argv:
            raise ValueError("StdioClient needs a command to run, got an empty one")
        self.timeout = timeout
        self._child: _Child | None = None

    def _exchange(self, request: Mapping[str, Any]) -> Any:
        return self._round_trip(to_bytes(request) + b"\n")

    def execute_line(self, line: bytes) -> dict[str, Any]:
        """Send one raw line (need not be JSON; a newline is added if missing) and return the
        parsed answer: for checking how an implementation treats malformed input."""
        if not line.endswith(b"\n"):
            line += b"\n"
        with self._lock:
            response = self._round_trip(line)
        if type(response) is not dict:
            raise codec.result_fail("response", response, "must be a JSON object")
        return response

    def _round_trip(self, data: bytes) -> Any:
        child = self._child
        if child is None:
            child = self._child = _Child(self.argv)
        deadline = time.monotonic() + self.timeout
        try:
            child.write(data, deadline)
        except TimeoutError:
            self._drop(kill=True)
            raise ImplementationTimeout(
                f"{self._name()} did not read its input within {self.timeout:g} s"
            ) from None
        except OSError as exc:  # BrokenPipeError: the process is gone
            raise self._crashed(f"stopped reading ({exc})") from None
        try:
            line = child.lines.get(timeout=max(deadline - time.monotonic(), 0.0))
        except queue.Empty:
            self._drop(kill=True)
            raise ImplementationTimeout(
                f"{self._name()} gave no answer within {self.timeout:g} s"
            ) from None
        if line is None:
            raise self._crashed("closed its stdout")
        try:
            return parse(line)
        except (ValueError, RecursionError) as exc:
            self._drop(kill=True)  # the stream is out of step from here on
            raise ProtocolViolation(
                f"{self._name()} answered with a line that is not JSON ({exc}): {line[:200]!r}"
            ) from None

    def _name(self) -> str:
        return f"implementation `{shlex.join(self.argv)}`"

    def _crashed(self, what: str) -> ImplementationCrashed:
        child = self._child
        code = self._drop(kill=False)
        detail = child.stderr_text() if child is not None else ""
        return ImplementationCrashed(f"{self._name()} {what}, exit status {code}{detail}")

    def _drop(self, kill: bool) -> int | None:
        child, self._child = self._child, None
        if child is None:
            return None
        if kill:
            child.proc.kill()
        return child.stop(grace=1.0)

    def close_port(self) -> None:
        """Close the child's stdin (EOF: it should exit 0) and wait for it."""
        with self._lock:
            if self._child is not None:
                child, self._child = self._child, None
                child.stop(grace=max(self.timeout, 1.0))

    @property
    def pid(self) -> int | None:
        """The running process's id (``None`` before the first call or after a failure)."""
        return None if self._child is None else self._child.proc.pid


# --------------------------------------------------------------------------- HTTP


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
                data = response.read()
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

    def close_port(self) -> None:
        with self._lock:
            self._disconnect()


# --------------------------------------------------------------------------- connect


def connect(spec: str, timeout: float = 5.0) -> EnginePort:
    """An engine port from a spec: ``reference`` (in-process), ``cmd:<command line>`` (a
    subprocess speaking stdio, split like a shell would but run without one) or
    ``http://HOST:PORT`` (a server)."""
    if spec == "reference":
        from sim.core.engine import ReferenceEngine

        return ReferenceEngine()
    try:
        if spec.startswith("cmd:"):
            argv = shlex.split(spec[len("cmd:"):])
            if not argv:
                raise ValueError("no command after cmd:")
            return StdioClient(argv, timeout)
        if spec.startswith("http://"):
            return HttpClient(spec, timeout)
    except ValueError as exc:  # shlex's "No closing quotation", a bad port, ...
        raise ValueError(f"bad engine spec {spec!r}: {exc}") from None
    raise ValueError(
        f"bad engine spec {spec!r}: expected 'reference', 'cmd:<command line>' or "
        "'http://HOST:PORT'"
    )
