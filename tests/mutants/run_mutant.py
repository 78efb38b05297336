"""Serve one mutant over stdio: ``python tests/mutants/run_mutant.py NAME``.

The command another team would write for their own engine, pointed at a deliberately broken
reference: ``returns-sim conform --impl "cmd:python tests/mutants/run_mutant.py NAME"``.
``--list`` prints the mutants, one per line, with the rule each breaks. The names of
``catalog.FAULTS`` serve implementations that crash, hang or babble instead (for the report's
outcome classes).
"""

from __future__ import annotations

import sys

from catalog import FAULTS, MUTANTS  # this script's folder is on sys.path when run as a script

from sim.rap.servers.stdio import main as serve_stdio


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
    return serve_stdio(builds[argv[0]]())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
