"""Starting the real servers as subprocesses, the way users run them."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SERVE = [sys.executable, "-m", "sim", "serve"]
STDIO_ARGV = [*SERVE, "--stdio"]


def read_line_within(stream: object, timeout: float) -> bytes:
    """One line from a pipe, or AssertionError after ``timeout`` seconds (never a hang)."""
    fd = stream.fileno()  # type: ignore[attr-defined]
    buf = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while not buf.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not sel.select(remaining):
                raise AssertionError(f"no line within {timeout} s (got {buf[:200]!r})")
            chunk = os.read(fd, 1)
            if not chunk:
                break
            buf += chunk
    return buf


@contextmanager
def http_server(
    stop_signal: int = signal.SIGTERM, *options: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``returns-sim serve --http 127.0.0.1:0 [options]``; yields (base URL, process); on exit
    sends ``stop_signal`` and asserts a clean exit 0."""
    proc = subprocess.Popen([*SERVE, "--http", "127.0.0.1:0", *options], cwd=REPO,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        assert proc.stderr is not None
        line = read_line_within(proc.stderr, 20).decode()
        found = re.fullmatch(r"listening on (http://127\.0\.0\.1:(\d+))\n", line)
        assert found, line
        yield found.group(1), proc
    finally:
        if proc.poll() is None:
            proc.send_signal(stop_signal)
        try:
            code = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise
        finally:
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
    assert code == 0


def start_http(*options: str) -> tuple[subprocess.Popen[bytes], str]:
    """``serve --http 127.0.0.1:0 [options]`` left to the caller to stop (for tests of the
    stop itself, or of what the server writes to stderr): (process, base URL)."""
    proc = subprocess.Popen([*SERVE, "--http", "127.0.0.1:0", *options], cwd=REPO,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    assert proc.stderr is not None
    line = read_line_within(proc.stderr, 20).decode()
    found = re.fullmatch(r"listening on (http://127\.0\.0\.1:\d+)\n", line)
    assert found, line
    return proc, found.group(1)
