"""``returns-sim run``: simulate a scenario and leave results and plots in a folder.

Bad input (a scenario that does not load, a bad option value, a bad engine spec) exits with 2
before anything is written; a failing engine exits with 1. Results are written into a
temporary folder beside the destination and renamed into place only when complete.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from sim.core.errors import EngineError
from sim.core.port import ImplementationFailure
from sim.model.output import staged_folder
from sim.model.scenario import ScenarioError, bundled_names, load
from sim.reports.html.run_page import write_run_report
from sim.reports.kpis import table


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "scenario",
        nargs="?",
        default=None,
        metavar="SCENARIO",
        help="a scenario TOML file, or a bundled name "
        f"({', '.join(bundled_names())}); default: the bundled baseline",
    )
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: the "
                        "scenario's run.seed)")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--orders", type=int, default=None, metavar="N",
                      help="scale demand so that about N orders arrive over the horizon")
    size.add_argument("--days", type=int, default=None, metavar="N",
                      help="simulate N days instead of the scenario's run.days")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="results folder (default: results/<scenario name>); replaced whole")
    parser.add_argument("--impl", default="reference", metavar="SPEC",
                        help="the engine: 'reference' (in-process, default), "
                        "'cmd:<command line>' (stdio) or 'http://HOST:PORT'")
    parser.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                        help="per-request timeout for a stdio or HTTP engine (default 10)")
    parser.add_argument("--trace", action="store_true",
                        help="also write trace.ndjson: every rap/1 request and response")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress bar and no KPI table (errors still go to stderr)")


class Progress:
    """A progress bar in simulated days on stderr (a line per 10% when not a terminal)."""

    def __init__(self, days: int, stream: TextIO, enabled: bool) -> None:
        self.days = max(days, 1)
        self.stream = stream
        self.enabled = enabled
        self.tty = stream.isatty()
        self.shown = -1

    def __call__(self, day: int) -> None:
        if not self.enabled:
            return
        step = 2 if self.tty else 10
        pct = min(100, day * 100 // self.days) // step * step
        if pct == self.shown:
            return
        self.shown = pct
        filled = pct // 4
        bar = "#" * filled + "-" * (25 - filled)
        text = f"  simulating [{bar}] day {min(day, self.days)}/{self.days} ({pct}%)"
        if self.tty:
            self.stream.write("\r" + text + ("\n" if pct == 100 else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


def _fail(message: str, code: int) -> int:
    print(f"returns-sim run: error: {message}", file=sys.stderr)
    return code


def _command(args: argparse.Namespace) -> list[str]:
    """The canonical command line of this run, for the manifest."""
    cmd = ["returns-sim", "run"]
    if args.scenario is not None:
        cmd.append(args.scenario)
    for flag in ("seed", "orders", "days", "impl"):
        value = getattr(args, flag)
        if value is not None and not (flag == "impl" and value == "reference"):
            cmd += [f"--{flag}", str(value)]
    if args.trace:
        cmd.append("--trace")
    return cmd


def main(args: argparse.Namespace) -> int:
    for flag, least in (("seed", 0), ("orders", 1), ("days", 1)):
        value = getattr(args, flag)
        if value is not None and value < least:
            return _fail(f"--{flag}: must be at least {least}, got {value}", 2)
    if args.timeout <= 0:
        return _fail(f"--timeout: must be greater than 0, got {args.timeout}", 2)
    try:
        loaded = load(args.scenario)
    except ScenarioError as exc:
        return _fail(f"scenario {args.scenario or 'baseline'}: {exc}", 2)
    destination: Path = args.out if args.out is not None else Path("results") / loaded.name
    if destination.exists() and not destination.is_dir():
        return _fail(f"--out: {destination} exists and is not a folder", 2)

    from sim.model.run import simulate
    from sim.rap.clients import connect

    try:
        port = connect(args.impl, args.timeout)
    except ValueError as exc:
        return _fail(f"--impl: {exc}", 2)
    except ImplementationFailure as exc:
        return _fail(f"--impl {args.impl}: the engine could not be started: {exc}", 1)
    days = args.days if args.days is not None else loaded.scenario.run.days
    progress = Progress(days, sys.stderr, not args.quiet)
    try:
        with staged_folder(destination) as stage:
            result = simulate(
                loaded,
                port,
                stage,
                seed=args.seed,
                days=args.days,
                orders=args.orders,
                trace=args.trace,
                on_day=progress,
                command=_command(args),
            )
            write_run_report(stage, loaded)  # scenario.toml and report.html, from the files
    except ImplementationFailure as exc:
        return _fail(f"--impl {args.impl}: the engine failed ({type(exc).__name__}): {exc}", 1)
    except EngineError as exc:  # setup refused (policy or a seller): the engine disagrees
        return _fail(f"--impl {args.impl}: the engine refused the scenario's setup: {exc}", 1)
    except KeyboardInterrupt:
        print("\nreturns-sim run: interrupted; nothing written", file=sys.stderr)
        return 130
    finally:
        port.close_port()
    if not args.quiet:
        t = result.timings
        print(f"returns-sim run: {loaded.name}, seed {result.output.seed}, {result.output.days} "
              f"days, engine {result.output.implementation}")
        print(table(result.summary))
        print(f"  wall time {t.total_s:.1f} s (population {t.population_s:.1f} s, simulation "
              f"{t.simulation_s:.1f} s, results {t.results_s:.1f} s)")
        print(f"results in {destination}/: summary.json, returns_report.tsv, events.csv, "
              f"{'trace.ndjson, ' if args.trace else ''}manifest.json, scenario.toml, "
              "report.html and "
              f"{sum(1 for f in result.files if f.suffix == '.png')} plots (*.png)")
    return 0
