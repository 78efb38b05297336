"""Differential testing speed: commands per second over stdio, and the time to find each mutant.

    python bench/fuzz.py [--examples N] [--budget S] [--seed S] [--mutant NAME ...]
                         [--keep DIR] [--shrink-time S] [--skip-rate] [--skip-mutants]

Part 1 runs ``N`` examples of the fuzzer against the reference engine served over stdio (a
real subprocess) and, in the same process, against the in-process reference (the generator's
own cost), and prints commands per second for both. Part 2 runs the fuzzer against every
mutant of ``tests/mutants`` (each a stdio subprocess) with one seed and a budget, and prints
the seconds to the first failing example, the total with shrinking, and the shrunk case's
length. With ``--keep DIR`` each shrunk case is written there as a kept case, tagged with the
clauses its mutant breaks (how ``sim/conformance/kept/`` was filled).
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from mutants.catalog import MUTANTS  # noqa: E402

from sim.difftest import kept  # noqa: E402
from sim.difftest.preflight import reach  # noqa: E402
from sim.difftest.shrinking import SHRINK_SECONDS, Budget, FuzzReport, fuzz  # noqa: E402

RUN_MUTANT = ROOT / "tests" / "mutants" / "run_mutant.py"
TAG = re.compile(r"\b[CR]\d\d\b")


def stdio(*argv: str) -> str:
    return "cmd:" + shlex.join([sys.executable, *argv])


def run(spec: str, budget: Budget, seed: int, shrink: float = SHRINK_SECONDS
        ) -> tuple[FuzzReport, frozenset[str]]:
    port, hello = reach(spec, 5.0)
    features = frozenset(hello.optional)
    try:
        return fuzz(port, level="full", features=features, seed=seed, budget=budget,
                    shrink_seconds=shrink), features
    finally:
        port.close_port()


def rate(args: argparse.Namespace) -> None:
    budget = Budget(examples=args.examples)
    for name, spec in (("in-process reference", "reference"),
                       ("reference over stdio", stdio("-m", "sim", "serve", "--stdio"))):
        report, _ = run(spec, budget, args.seed)
        assert report.found is None and not report.broken, (name, report)
        print(f"{name:<24} {report.examples:>6} examples {report.commands:>8} commands "
              f"{report.seconds:7.2f} s {report.commands / report.seconds:8,.0f} commands/s",
              flush=True)


def mutants(args: argparse.Namespace) -> int:
    missed = 0
    print(f"{'mutant':<34} {'found (s)':>9} {'total (s)':>9} {'steps':>5}  difference")
    for name in args.mutant or list(MUTANTS):
        report, features = run(stdio(str(RUN_MUTANT), name), Budget(seconds=args.budget),
                               args.seed, args.shrink_time)
        found = report.found
        if found is None:
            missed += 1
            print(f"{name:<34} {'-':>9} {report.seconds:9.1f} {'-':>5}  NOT FOUND", flush=True)
            continue
        last = found.steps[-1]
        what = last.difference.path if last.difference else last.failure
        print(f"{name:<34} {report.first_difference_s or 0:9.1f} {report.seconds:9.1f} "
              f"{len(found.steps):>5}  {what}", flush=True)
        if args.keep is not None:
            diff = last.difference.to_json() if last.difference else {"failure": last.failure}
            case = kept.new_case("full", features, [(s.request, s.reference) for s in found.steps],
                                 f"tests/mutants {name}: {MUTANTS[name].broken}",
                                 {"step": len(found.steps), **diff},
                                 tuple(sorted(set(TAG.findall(MUTANTS[name].tags)))))
            kept.write(case, args.keep)
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=300)
    parser.add_argument("--budget", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mutant", action="append", choices=sorted(MUTANTS))
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--shrink-time", type=float, default=SHRINK_SECONDS)
    parser.add_argument("--skip-rate", action="store_true")
    parser.add_argument("--skip-mutants", action="store_true")
    args = parser.parse_args()
    started = time.monotonic()
    if not args.skip_rate:
        rate(args)
    missed = 0 if args.skip_mutants else mutants(args)
    print(f"total {time.monotonic() - started:.0f} s; mutants not found: {missed}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
