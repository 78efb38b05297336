"""``returns-sim replay``: replay kept cases or a ``run --trace`` file against an implementation.

Each file's requests go to the implementation in order; its answers are compared with the
recorded ones (the reference's) by the contract's rules, Amazon RMAs mapped. A kept case is
reported FIXED (the implementation now agrees) or FAILED, a trace AGREES or DIFFERS, and each
differing answer is shown field by field. Exit status: 0 all agree, 1 a difference, 2 a file
that is not a kept case or a trace, or an implementation that cannot be reached.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.difftest.compare import LEVELS

EXIT_BAD_INPUT = 2


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "Each file is reported FIXED or FAILED (a kept case), AGREES or DIFFERS (a trace). "
        "Exit status: 0 all agree, 1 a difference, 2 a file that is not a kept case or a "
        "trace, or an implementation that cannot be reached. See docs/difftest.md."
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help="kept cases (<id>.ndjson) or trace.ndjson files of run --trace")
    parser.add_argument(
        "--impl", required=True, metavar="SPEC",
        help="the implementation: 'cmd:<command line>', http://HOST:PORT or 'reference'",
    )
    parser.add_argument(
        "--level", choices=LEVELS, default=None,
        help="compare at this level instead of the case's own (a trace: full)",
    )
    parser.add_argument("--timeout", type=float, default=5.0, metavar="S",
                        help="seconds one request may take (default 5)")


def main(args: argparse.Namespace) -> int:
    from sim.difftest import kept
    from sim.difftest.preflight import reach_or_problem
    from sim.difftest.replay import replay
    from sim.difftest.transcript import render_replay

    if not args.timeout > 0:
        return _refuse(f"--timeout must be a positive number of seconds, got {args.timeout}")
    try:
        cases = [kept.read(path) for path in args.files]
    except kept.KeptCaseError as exc:
        return _refuse(str(exc))
    reached = reach_or_problem(args.impl, args.timeout)
    if isinstance(reached, str):
        return _refuse(reached)
    port, hello = reached
    features = frozenset(hello.optional)
    failed = 0
    try:
        for path, case in zip(args.files, cases, strict=True):
            verdict = replay(port, case, features=features, level=args.level)
            print(f"{verdict.word}  {path}  ({len(case.steps)} requests, "
                  f"{verdict.differing} differing answers, level {args.level or case.level})")
            for line in render_replay(verdict.rows):
                print(line)
            failed += not verdict.agrees
    finally:
        port.close_port()
    print(f"replay: {len(cases) - failed} of {len(cases)} files agree with the recorded answers")
    return 1 if failed else 0


def _refuse(problem: str) -> int:
    print(f"returns-sim replay: {problem}", file=sys.stderr)
    return EXIT_BAD_INPUT
