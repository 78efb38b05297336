"""What ``compare`` and ``sweep`` share: their options, running, printing and exit codes.

Exit codes: 0 every replication ran; 1 some replications failed (they are recorded in the
folder, the rest are compared); 2 bad input (nothing run, nothing written); 130 interrupted
(nothing written).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from sim.experiments.api import DEFAULT_REPLICATIONS, ExperimentResult, backend_of, run
from sim.experiments.design import MAX_REPLICATIONS, Experiment, ExperimentError
from sim.experiments.replicate import ReplicationResult
from sim.reports.staging import OutputFolderError, staged_folder


def configure_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--replications", type=int, default=DEFAULT_REPLICATIONS, metavar="N",
                        help=f"replications of each scenario, 2 to {MAX_REPLICATIONS} "
                        f"(default {DEFAULT_REPLICATIONS})")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--orders", type=int, default=None, metavar="N",
                      help="scale demand so that about N orders arrive over the horizon")
    size.add_argument("--days", type=int, default=None, metavar="N",
                      help="simulate N days instead of the scenario's run.days")
    parser.add_argument("--seed", type=int, default=None, metavar="S",
                        help="the experiment's seed: replication r's streams are the r-th "
                        "SeedSequence child of S in every scenario; the marketplace is S's "
                        "(default: the first scenario's run.seed)")
    parser.add_argument("--vary-population", action="store_true",
                        help="draw a new marketplace (sellers, catalog, buyers) in every "
                        "replication instead of one for all")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=None, metavar="N",
                       help="local worker processes (default: one per core; 1: in this "
                       "process)")
    where.add_argument("--dask", default=None, metavar="ADDRESS",
                       help="run on a Dask cluster: a scheduler address (tcp://HOST:8786), "
                       "or 'local' to start a LocalCluster of one worker per core")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="results folder (default: results/<command>-<scenario>); "
                        "replaced whole if returns-sandbox wrote it, else refused")
    parser.add_argument("--force", action="store_true",
                        help="replace --out even if returns-sandbox did not write it")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress and no table (errors still go to stderr)")


def fail(command: str, message: str, code: int = 2) -> int:
    print(f"returns-sim {command}: error: {message}", file=sys.stderr)
    return code


def _progress(total: int, quiet: bool) -> Callable[[ReplicationResult], None]:
    done = [0]
    tty = sys.stderr.isatty()

    def show(result: ReplicationResult) -> None:
        done[0] += 1
        if quiet:
            return
        status = "" if result.ok else f" FAILED ({result.error})"
        if tty or done[0] == total or not result.ok or done[0] % max(1, total // 10) == 0:
            print(f"  replications done {done[0]}/{total} (last: {result.scenario} "
                  f"#{result.replication}{status})", file=sys.stderr, flush=True)

    return show


def canonical(command: str, args: argparse.Namespace, positional: list[str]) -> list[str]:
    """The command line as the manifest records it (what was asked, not how it was typed;
    the backend options are left out: they do not change the files)."""
    argv = ["returns-sim", command, *positional]
    for vary in getattr(args, "vary", None) or []:
        argv += ["--vary", vary]
    for flag in ("replications", "orders", "days", "seed"):
        value = getattr(args, flag)
        if value is not None:
            argv += [f"--{flag}", str(value)]
    if args.vary_population:
        argv.append("--vary-population")
    return argv


def execute(command: str, args: argparse.Namespace, build: Callable[[], Experiment],
            default_out: Callable[[Experiment], Path], argv: list[str]) -> int:
    """Check everything, run the replications, print the table and write the folder."""
    if args.workers is not None and args.workers < 1:
        return fail(command, f"--workers: must be at least 1, got {args.workers}")
    try:
        exp = build()
        backend = backend_of(args.workers, args.dask)
        destination: Path = args.out if args.out is not None else default_out(exp)
    except ExperimentError as exc:
        return fail(command, str(exc))
    tasks = len(exp.cases) * exp.replications
    if not args.quiet:
        where = backend.describe()
        on = where["address"] or where["name"]
        if where["workers"] is not None:
            on += f" ({where['workers']} workers)"
        print(f"returns-sim {command}: {len(exp.cases)} scenarios x {exp.replications} "
              f"replications on {on}", file=sys.stderr)
    try:
        # staged first: a destination that must not be replaced is refused before any work
        with staged_folder(destination, kind=exp.kind, force=args.force,
                           parents=args.out is None) as stage:
            result: ExperimentResult = run(exp, backend, _progress(tasks, args.quiet))
            result.write_into(stage, argv)
    except ExperimentError as exc:
        return fail(command, str(exc))
    except OutputFolderError as exc:
        return fail(command, f"--out: {exc}")
    except KeyboardInterrupt:
        print(f"\nreturns-sim {command}: interrupted; nothing written", file=sys.stderr)
        return 130
    if not args.quiet:
        print(result.text())
        print(f"\nresults in {destination}/: comparison.csv/.json, replications.csv, "
              "scenarios/, plots (*.png), manifest.json")
    if result.failed:
        for r in result.failed:
            print(f"returns-sim {command}: replication {r.replication} of {r.scenario} "
                  f"failed: {r.error}", file=sys.stderr)
        print(f"returns-sim {command}: {len(result.failed)} of {tasks} replications failed "
              "(recorded in replications.csv; the others are compared)", file=sys.stderr)
        return 1
    return 0
