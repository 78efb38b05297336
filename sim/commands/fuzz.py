"""``returns-sim fuzz``: differential random testing of a rap/1 implementation.

Generated command streams go to the reference (in-process) and to the implementation; the
first difference is shrunk, replayed twice, printed as a transcript and kept as a case file.
Exit status as ``conform``'s: 0 nothing found, 1 a difference (or the implementation broke),
2 bad input or an implementation that cannot be reached.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.difftest.compare import LEVELS

EXIT_BAD_INPUT = 2
DEFAULT_KEEP = Path("fuzz-cases")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "Exit status: 0 no difference, 1 a difference (shrunk, printed and kept) or the "
        "implementation broke, 2 bad input or an implementation that cannot be reached. "
        "See docs/difftest.md."
    )
    parser.add_argument(
        "--impl", required=True, metavar="SPEC",
        help="the implementation: 'cmd:<command line>' (a stdio subprocess, no shell), "
        "http://HOST:PORT or 'reference'",
    )
    parser.add_argument(
        "--level", choices=LEVELS, default="full",
        help="how strictly answers compare: decisions (status, authorization, in policy, "
        "label, RMA source, windows and dates), codes (also which requests are refused and "
        "with what code), full (also error details and notifications; the default)",
    )
    parser.add_argument("--seed", type=int, default=0,
                        help="the run's seed (default 0): one seed, one sequence of streams")
    parser.add_argument(
        "--budget", default="60", metavar="SECONDS|Nex",
        help="how long to look: seconds (60, the default; at most a day) or a number of "
        "examples (500ex); shrinking a difference comes on top",
    )
    parser.add_argument(
        "--keep", type=Path, default=DEFAULT_KEEP, metavar="DIR",
        help=f"where a difference is saved as <id>.ndjson (default ./{DEFAULT_KEEP})",
    )
    parser.add_argument(
        "--shrink-time", type=float, default=20.0, metavar="S",
        help="seconds Hypothesis may spend shrinking a difference, and as many again for "
        "dropping single requests from what it left (default 20; 0 keeps it unshrunk)",
    )
    parser.add_argument(
        "--timeout", type=float, default=5.0, metavar="S",
        help="seconds one request may take (default 5); a hang fails its example and the "
        "run goes on",
    )


def main(args: argparse.Namespace) -> int:
    from sim.difftest import kept
    from sim.difftest.preflight import reach_or_problem
    from sim.difftest.shrinking import LONGEST_SHRINK_S, fuzz, parse_budget
    from sim.difftest.transcript import render_steps

    try:
        budget = parse_budget(args.budget)
    except ValueError as exc:
        return _refuse(str(exc))
    if not args.timeout > 0:
        return _refuse(f"--timeout must be a positive number of seconds, got {args.timeout}")
    if not 0 <= args.shrink_time <= LONGEST_SHRINK_S:
        return _refuse(f"--shrink-time must be between 0 and {LONGEST_SHRINK_S:g} seconds, "
                       f"got {args.shrink_time}")
    if args.keep.exists() and not args.keep.is_dir():
        return _refuse(f"--keep {args.keep}: exists and is not a folder")
    reached = reach_or_problem(args.impl, args.timeout)
    if isinstance(reached, str):
        return _refuse(reached)
    port, hello = reached
    features = frozenset(hello.optional)
    print(f"fuzz: {hello.implementation} {hello.version} ({args.impl}), level {args.level}, "
          f"seed {args.seed}, budget {budget}, optional features: "
          f"{', '.join(sorted(features)) or 'none'}", flush=True)
    try:
        report = fuzz(port, level=args.level, features=features, seed=args.seed,
                      budget=budget, progress=_progress(), shrink_seconds=args.shrink_time)
    except KeyboardInterrupt:
        print("\nfuzz: interrupted", file=sys.stderr)
        return 1
    finally:
        port.close_port()
    _end_progress()
    rate = report.commands / report.seconds if report.seconds > 0 else 0.0
    print(f"fuzz: {report.examples} examples, {report.commands} commands in "
          f"{report.seconds:.1f} s ({rate:,.0f} commands/s)")
    for line in report.broken[:20]:
        print(f"fuzz: the implementation broke in {line}")
    if report.found is None:
        if report.broken:
            n = len(report.broken)
            print(f"fuzz: FAILED: the implementation broke in {n} example{'s' * (n != 1)}")
            return 1
        print("fuzz: no difference found")
        return 0
    found = report.found
    last = found.steps[-1]
    step_no = len(found.steps)
    difference = last.difference.to_json() if last.difference else {"failure": last.failure}
    case = kept.new_case(args.level, features,
                         [(s.request, s.reference) for s in found.steps],
                         f"{hello.implementation} {hello.version}",
                         {"step": step_no, **difference})
    again = ("the same twice more" if found.deterministic else
             "NOT the same when run again: the implementation is nondeterministic")
    cut = " (shrinking stopped at --shrink-time)" if found.shrink_cut else ""
    print(f"\nfuzz: DIFFERENCE, shrunk to {step_no} requests{cut} ({again}):")
    for line in render_steps(found.steps):
        print(line)
    try:
        path = kept.write(case, args.keep)
    except OSError as exc:
        print(f"fuzz: could not save the case in {args.keep}: {exc}", file=sys.stderr)
        return 1
    print(f"\nfuzz: kept as {path} (id {case.case_id}); replay it with\n"
          f"  returns-sim replay {path} --impl {_quote(args.impl)}")
    return 1


def _quote(spec: str) -> str:
    import shlex

    return shlex.quote(spec)


def _refuse(problem: str) -> int:
    print(f"returns-sim fuzz: {problem}", file=sys.stderr)
    return EXIT_BAD_INPUT


_TTY = sys.stderr.isatty()
_last_line = [0.0]


def _progress():  # type: ignore[no-untyped-def]
    """A progress line on stderr: rewritten in place on a terminal, every 10 s in a log."""

    def show(stats, elapsed):  # type: ignore[no-untyped-def]
        line = (f"fuzz: {elapsed:5.0f} s  {stats.examples} examples  {stats.commands} "
                f"commands  {stats.commands / max(elapsed, 1e-9):,.0f}/s")
        if _TTY:
            print(f"\r{line}", end="", file=sys.stderr, flush=True)
        elif elapsed - _last_line[0] >= 10:
            _last_line[0] = elapsed
            print(line, file=sys.stderr, flush=True)

    return show


def _end_progress() -> None:
    if _TTY:
        print(file=sys.stderr)
