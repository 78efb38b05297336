"""``returns-sim serve --stdio``: one JSON request per line in, one JSON response per line out.

Every input line gets exactly one answer line, flushed at once (a harness waits for it before
sending more, or pipelines and reads in order). Nothing but answers goes to stdout; EOF on stdin
ends the server with exit 0. A line longer than :data:`MAX_LINE` is read to its end without
being kept, and answered with one ``invalid_json`` refusal: memory stays bounded whatever
arrives, and the server stays in step.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import BinaryIO

from sim.core.port import EnginePort
from sim.rap.envelope import invalid_json, respond_line, to_bytes

MAX_LINE = 1 << 20
"""Longest request line read (1 MiB, the same as an HTTP body), its newline not counted."""


def too_long() -> bytes:
    """The answer to a line over :data:`MAX_LINE` bytes."""
    problem = f"the line is longer than {MAX_LINE} bytes (1 MiB), the longest rap/1 reads"
    return to_bytes(invalid_json(problem, {"limit_bytes": MAX_LINE})) + b"\n"


def _skip_rest(readline: Callable[[int], bytes]) -> None:
    """Read and drop what is left of an over-long line, up to its newline (or EOF)."""
    while True:
        chunk = readline(1 << 16)
        if not chunk or chunk.endswith(b"\n"):
            return


def serve(port: EnginePort, stdin: BinaryIO, stdout: BinaryIO) -> int:
    """Answer every line of ``stdin`` on ``stdout`` until EOF; returns the exit status."""
    readline = stdin.readline
    write = stdout.write
    flush = stdout.flush
    try:
        while line := readline(MAX_LINE + 1):
            if len(line) > MAX_LINE and not (len(line) == MAX_LINE + 1 and line.endswith(b"\n")):
                _skip_rest(readline)
                write(too_long())
            else:
                write(respond_line(port, line))
            flush()
    except BrokenPipeError:
        # The reader went away: nobody is left to answer. Point stdout at /dev/null so the
        # interpreter's final flush does not complain on stderr.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout.fileno())
        os.close(devnull)
        return 0
    except KeyboardInterrupt:
        return 130
    return 0


def main(port: EnginePort) -> int:
    return serve(port, sys.stdin.buffer, sys.stdout.buffer)
