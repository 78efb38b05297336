"""One implementation process behind the stdio client: started, fed, read, stopped.

Its stdout lines arrive in a queue (a reader thread) and the tail of its stderr is kept (a
drain thread, so a chatty child never blocks on a full pipe).
"""

from __future__ import annotations

import os
import queue
import selectors
import shlex
import subprocess
import threading
import time
from collections import deque
from collections.abc import Sequence
from typing import IO

from sim.core.port import (
    ImplementationCrashed,
)

_STDERR_TAIL = 4096


MAX_ANSWER = 16 << 20
"""Longest answer line read from an implementation (16 MiB: an ``authorize_batch`` of 1,000
returns with long ids stays well under it)."""

TOO_LONG = b""
"""Queued in place of a line over :data:`MAX_ANSWER` (a real line is never empty: it ends in a
newline)."""


class Child:
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
        """Queue each answer line; a line over :data:`MAX_ANSWER` bytes is queued as
        :data:`TOO_LONG` and reading stops (the client kills the child): memory stays bounded
        whatever the implementation writes."""
        try:
            while line := stream.readline(MAX_ANSWER + 1):
                if len(line) > MAX_ANSWER and not line.endswith(b"\n"):
                    self.lines.put(TOO_LONG)
                    return
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


