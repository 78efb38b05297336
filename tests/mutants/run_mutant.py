"""Serve one mutant over stdio: ``python tests/mutants/run_mutant.py NAME``.

The command another team would write for their own engine, pointed at a deliberately broken
reference: ``returns-sim conform --impl "cmd:python tests/mutants/run_mutant.py NAME"``.
``--list`` prints the mutants, one per line, with the rule each breaks. The names of
``catalog.FAULTS`` serve implementations that crash, hang or babble instead (for the report's
outcome classes).
"""

from __future__ import annotations

import sys
from typing import BinaryIO

from catalog import FAULTS, MUTANTS, AnswersTwice  # this script's folder is on sys.path

from sim.rap.servers.stdio import serve


class _Doubling:
    """stdout for :class:`AnswersTwice`: the answer to a ``close`` is written twice."""

    def __init__(self, out: BinaryIO, engine: AnswersTwice) -> None:
        self.out, self.engine = out, engine

    def write(self, data: bytes) -> int:
        if self.engine.twice:
            self.engine.twice = False
            self.out.write(data)
        return self.out.write(data)

    def flush(self) -> None:
        self.out.flush()

    def fileno(self) -> int:
        return self.out.fileno()


def main(argv: list[str]) -> int:
    if argv == ["--list"]:
        for m in MUTANTS.values():
            print(f"{m.name}\t{m.broken}")
        return 0
    builds = {name: m.build for name, m in MUTANTS.items()} | FAULTS
    if len(argv) != 1 or argv[0] not in builds:
        print(f"usage: run_mutant.py NAME | --list; NAME is one of {', '.join(builds)}"
              + (f" (got {' '.join(argv)!r})" if argv else ""), file=sys.stderr)
        return 2
    engine = builds[argv[0]]()
    out: BinaryIO = sys.stdout.buffer
    if isinstance(engine, AnswersTwice):
        out = _Doubling(out, engine)  # type: ignore[assignment]
    return serve(engine, sys.stdin.buffer, out)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
