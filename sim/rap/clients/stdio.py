"""An implementation run as a subprocess speaking rap/1 NDJSON on its stdio."""

from __future__ import annotations

import queue
import shlex
import time
from collections.abc import Mapping, Sequence
from typing import Any

from sim.core.port import (
    ImplementationCrashed,
    ImplementationTimeout,
    ProtocolViolation,
)
from sim.rap import codec
from sim.rap.clients.child import MAX_ANSWER, TOO_LONG, Child
from sim.rap.clients.wire import WireClient
from sim.rap.envelope import parse, to_bytes


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
        self._child: Child | None = None

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
            child = self._child = Child(self.argv)
        elif not child.lines.empty():  # an answer nobody asked for: the stream is out of step
            stale = child.lines.get_nowait()
            self._drop(kill=True)
            raise ProtocolViolation(
                f"{self._name()} wrote an answer no request asked for (it answered an earlier "
                f"request more than once): {(stale or b'')[:200]!r}; restarted"
            )
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
        if line is TOO_LONG:
            self._drop(kill=True)
            raise ProtocolViolation(
                f"{self._name()} answered with a line longer than {MAX_ANSWER} bytes; restarted"
            )
        try:
            return parse(line)
        except (ValueError, RecursionError) as exc:
            self._drop(kill=True)  # the stream is out of step from here on
            raise ProtocolViolation(
                f"{self._name()} answered with a line that is not JSON ({exc}): {line[:200]!r}"
            ) from None

    def resync(self) -> None:
        """Stop the implementation; the next call starts a fresh one (fresh state)."""
        self._drop(kill=True)

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


