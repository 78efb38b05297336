"""``returns-sim serve --stdio``: one JSON request per line in, one JSON response per line out.

Every input line gets exactly one answer line, flushed at once (a harness waits for it before
sending more, or pipelines and reads in order). Nothing but answers goes to stdout; EOF on stdin
ends the server with exit 0.
"""

from __future__ import annotations

import os
import sys
from typing import BinaryIO

from sim.core.port import EnginePort
from sim.rap.envelope import respond_line


def serve(port: EnginePort, stdin: BinaryIO, stdout: BinaryIO) -> int:
    """Answer every line of ``stdin`` on ``stdout`` until EOF; returns the exit status."""
    readline = stdin.readline
    write = stdout.write
    flush = stdout.flush
    try:
        for line in iter(readline, b""):
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
