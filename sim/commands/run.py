"""``returns-sim run``: simulate a scenario and leave results and plots in a folder.

A run is simulate, then write: :func:`sim.model.run.single_run` runs the scenario against the
engine (wrapped in the tracing port with ``--trace``), handing every event row to a writer
process (:mod:`sim.reports.run_writer`) that writes ``events.csv`` as the run goes and the
rest of the folder with this process once it ends.

Bad input (a scenario that does not load, a bad option value, a bad engine spec, an ``--out``
that must not be replaced) exits with 2 before anything is written; a failing engine exits
with 1. Results are written into a temporary folder beside the destination and take its place
only when complete (:mod:`sim.reports.staging`); Ctrl-C (130) and SIGTERM (143) leave nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from sim.core.errors import EngineError
from sim.core.port import EnginePort, ImplementationFailure
from sim.model.budget import (
    MAX_DAYS,
    MAX_ORDERS,
    RunTooLarge,
    available_memory,
    check_limits,
    check_memory,
)
from sim.model.plan import RunPlan, plan_run
from sim.model.scenario import LoadedScenario, ScenarioError, bundled_names, load
from sim.reports.folder import WrittenRun
from sim.reports.kpis import table
from sim.reports.staging import OutputFolderError, Terminated, staged_folder


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "scenario",
        nargs="?",
        default=None,
        metavar="SCENARIO",
        help="a scenario TOML file, or a bundled name "
        f"({', '.join(bundled_names())}); default: the bundled baseline",
    )
    parser.add_argument("--seed", type=int, default=None, help="random seed of the run "
                        "(default: the scenario's run.seed)")
    parser.add_argument("--population-seed", type=int, default=None, metavar="N",
                        help="random seed of the sellers, catalog and buyers alone "
                        "(default: the run's seed)")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--orders", type=int, default=None, metavar="N",
                      help="scale demand so that about N orders arrive over the horizon "
                      "(at most 100,000,000)")
    size.add_argument("--days", type=int, default=None, metavar="N",
                      help="simulate N days instead of the scenario's run.days (at most 3,650)")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="results folder (default: results/<scenario name>); an earlier "
                        "results folder there is replaced whole, any other folder refused")
    parser.add_argument("--force", action="store_true",
                        help="replace --out even if it is not a results folder of returns-sim, "
                        "and run even if the run's estimated memory exceeds what is available")
    parser.add_argument("--impl", default="reference", metavar="SPEC",
                        help="the engine: 'reference' (in-process, default), "
                        "'cmd:<command line>' (stdio) or 'http://HOST:PORT'")
    parser.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                        help="per-request timeout for a stdio or HTTP engine (default 10, at "
                        "most 3600)")
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


MAX_SEED = 2**63 - 1
MAX_TIMEOUT = 3600.0


class _Failed(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _command(args: argparse.Namespace) -> list[str]:
    """The canonical command line of this run, for the manifest."""
    cmd = ["returns-sim", "run"]
    if args.scenario is not None:
        cmd.append(args.scenario)
    for flag in ("seed", "population_seed", "orders", "days", "impl"):
        value = getattr(args, flag)
        if value is not None and not (flag == "impl" and value == "reference"):
            cmd += [f"--{flag.replace('_', '-')}", str(value)]
    if args.trace:
        cmd.append("--trace")
    return cmd


def _simulate_and_write(
    args: argparse.Namespace, loaded: LoadedScenario, plan: RunPlan, port: EnginePort,
    stage: Path,
) -> WrittenRun:
    """Simulate into ``stage`` (events, and the trace with --trace) while a writer process
    writes the events and, once the run ends, the rest beside this one
    (:mod:`sim.reports.run_writer`)."""
    from sim.model.run import single_run
    from sim.rap.tracing import TracingPort
    from sim.reports.run_writer import run_writer

    with run_writer(stage, loaded, start=plan.t0 + plan.measure_from, days=plan.days,
                    command=_command(args)) as writer:
        engine: EnginePort = TracingPort(port, stage / "trace.ndjson") if args.trace else port
        try:
            output = single_run(plan, engine, sink=writer.sink,
                                on_day=Progress(plan.days, sys.stderr, not args.quiet))
        finally:
            if engine is not port:
                engine.close_port()  # closes the trace; main closes the port itself
        return writer.finish(output)


def _engine(args: argparse.Namespace) -> EnginePort:
    """The engine the run talks to: ``--impl``, connected.

    The bundled reference without ``--trace`` is the engine itself, quiet
    (``ReferenceEngine(notifications=False)``): nothing in such a run reads an answer's
    notifications (the gateway keeps the records, and the events carry none), so building
    them was about 3% of the simulation for nothing. With ``--trace`` every answer is written
    whole, notifications included, so the engine answers as over rap/1."""
    if args.impl == "reference" and not args.trace:
        from sim.core.engine import ReferenceEngine

        return ReferenceEngine(notifications=False)
    from sim.rap.clients import connect

    return connect(args.impl, args.timeout)


def main(args: argparse.Namespace) -> int:
    for flag, least, most in (("seed", 0, MAX_SEED), ("population_seed", 0, MAX_SEED),
                              ("orders", 1, MAX_ORDERS), ("days", 1, MAX_DAYS)):
        value = getattr(args, flag)
        if value is not None and not least <= value <= most:
            return _fail(f"--{flag.replace('_', '-')}: must be between {least} and {most:,}, "
                         f"got {value}", 2)
    if not 0 < args.timeout <= MAX_TIMEOUT:  # also refuses nan
        return _fail(f"--timeout: must be greater than 0 and at most {MAX_TIMEOUT:g} seconds, "
                     f"got {args.timeout}", 2)
    try:
        loaded = load(args.scenario)
    except ScenarioError as exc:
        return _fail(f"scenario {args.scenario or 'baseline'}: {exc}", 2)
    plan = plan_run(loaded.scenario, name=loaded.name, seed=args.seed,
                    population_seed=args.population_seed, days=args.days, orders=args.orders)
    try:
        check_limits(plan)
        check_memory(plan, None if args.force else available_memory())
    except RunTooLarge as exc:
        hint = "" if args.force else " (--force runs it anyway, if the machine holds out)"
        return _fail(f"{exc}; try fewer --orders or --days, or a smaller scenario{hint}", 2)
    destination: Path = args.out if args.out is not None else Path("results") / loaded.name

    from sim.model.run import cyclic_gc_paused

    try:
        with staged_folder(destination, kind="run", force=args.force,
                           parents=args.out is None) as stage:
            try:
                port = _engine(args)
            except ValueError as exc:  # raised, so that the stage is removed
                raise _Failed(f"--impl: {exc}", 2) from None
            except ImplementationFailure as exc:
                raise _Failed(f"--impl {args.impl}: the engine could not be started: {exc}",
                              1) from None
            try:
                with cyclic_gc_paused():
                    result = _simulate_and_write(args, loaded, plan, port, stage)
            finally:
                port.close_port()
    except _Failed as exc:
        return _fail(exc.message, exc.code)
    except OutputFolderError as exc:
        return _fail(f"--out: {exc}", 2)
    except ImplementationFailure as exc:
        return _fail(f"--impl {args.impl}: the engine failed ({type(exc).__name__}): {exc}", 1)
    except EngineError as exc:  # setup refused (policy or a seller): the engine disagrees
        return _fail(f"--impl {args.impl}: the engine refused the scenario's setup: {exc}", 1)
    except KeyboardInterrupt as exc:
        stopped = "terminated" if isinstance(exc, Terminated) else "interrupted"
        print(f"\nreturns-sim run: {stopped}; nothing written", file=sys.stderr)
        return 143 if isinstance(exc, Terminated) else 130
    if not args.quiet:
        t = result.timings
        print(f"returns-sim run: {loaded.name}, seed {plan.seed}, {plan.days} "
              f"days, engine {result.summary['implementation']}")
        print(table(result.summary))
        print(f"  wall time {t.total_s:.1f} s (population {t.population_s:.1f} s, simulation "
              f"{t.simulation_s:.1f} s, results {t.results_s:.1f} s)")
        print(f"results in {destination}/: summary.json, returns_report.tsv, events.csv, "
              f"{'trace.ndjson, ' if args.trace else ''}manifest.json, scenario.toml, "
              "report.html and "
              f"{sum(1 for f in result.files if f.suffix == '.png')} plots (*.png)")
    return 0
