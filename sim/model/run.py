"""One run of the model, apart from the model itself: build the population, set up the engine,
simulate, and write every result file into a folder.

The command line (``sim.commands.run``), the tests and the benchmark all run scenarios through
:func:`simulate`, so what they measure is what users get.
"""

from __future__ import annotations

import gc
import json
import platform
import resource
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from sim.core.port import EnginePort
from sim.model.arrivals import daily_rates
from sim.model.gateway import EngineGateway
from sim.model.marketplace import Marketplace
from sim.model.output import RunOutput
from sim.model.population import build_population
from sim.model.scenario import LoadedScenario
from sim.model.streams import Streams
from sim.rap.tracing import TracingPort
from sim.reports.events import EventLog
from sim.reports.kpis import summarize
from sim.reports.plots import write_plots
from sim.reports.returns_report import write_report

PACKAGES = ("returns-sandbox", "simpy", "numpy", "faker", "matplotlib")


@dataclass(frozen=True)
class RunTimings:
    """Where the wall time went, for the manifest and the benchmark."""

    population_s: float
    simulation_s: float
    results_s: float
    total_s: float
    cpu_s: float
    peak_memory_mb: float
    simpy_events: int


@dataclass(frozen=True)
class RunResult:
    output: RunOutput
    summary: dict[str, Any]
    timings: RunTimings
    files: tuple[Path, ...]


def order_scale(loaded: LoadedScenario, days: int, orders: int | None) -> float:
    """The factor on daily order rates that makes ``orders`` the expected total."""
    if orders is None:
        return 1.0
    expected = float(daily_rates(loaded.scenario, days).sum())
    return orders / expected if expected > 0 else 0.0


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a run.

    A run keeps hundreds of thousands of records alive and allocates millions of short-lived
    objects that reference counting frees anyway; each full pass of the cyclic collector walks
    every live object and finds nothing, which cost about a quarter of a baseline run (the
    result writers included). Cycles made meanwhile are collected when the pause ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def simulate(
    loaded: LoadedScenario,
    port: EnginePort,
    folder: Path | None,
    *,
    seed: int | None = None,
    days: int | None = None,
    orders: int | None = None,
    trace: bool = False,
    plots: bool = True,
    on_day: Callable[[int], None] | None = None,
    command: Sequence[str] = (),
) -> RunResult:
    """Run ``loaded`` against ``port``; with a ``folder``, write every result file into it."""
    with cyclic_gc_paused():
        return _simulate(loaded, port, folder, seed=seed, days=days, orders=orders, trace=trace,
                         plots=plots, on_day=on_day, command=command)


def _simulate(
    loaded: LoadedScenario,
    port: EnginePort,
    folder: Path | None,
    *,
    seed: int | None,
    days: int | None,
    orders: int | None,
    trace: bool,
    plots: bool,
    on_day: Callable[[int], None] | None,
    command: Sequence[str],
) -> RunResult:
    started = time.perf_counter()
    cpu_started = time.process_time()
    scenario = loaded.scenario
    seed = scenario.run.seed if seed is None else seed
    days = scenario.run.days if days is None else days
    streams = Streams(seed)
    population = build_population(scenario, streams)
    built = time.perf_counter()

    engine: EnginePort = port
    if trace and folder is not None:
        engine = TracingPort(port, folder / "trace.ndjson")
    hello = engine.hello()
    log = EventLog(folder / "events.csv" if folder is not None else None)
    gateway = EngineGateway(engine, log)
    model = Marketplace(
        scenario,
        population,
        gateway,
        streams,
        days=days,
        order_scale=order_scale(loaded, days, orders),
        label_details="label_details" in hello.optional,
        on_day=on_day,
    )
    try:
        model.setup()
        tally = model.run()
    finally:
        log.close()
        if engine is not port:
            engine.close_port()  # closes the trace; the caller closes its own port
    simulated = time.perf_counter()

    working = model.hours.working_seconds(model.horizon)
    output = RunOutput(
        scenario_name=loaded.name,
        seed=seed,
        t0=model.t0,
        days=days,
        implementation=hello.implementation,
        policy=model.policy,
        population=population,
        orders=model.source.orders,
        orders_by_category=model.source.orders_by_category,
        records=gateway.records,
        tally=tally,
        event_counts=log.counts,
        reviewer_capacity_s=int(sum(d.reviewers.capacity for d in model.desks if d.reviewed))
        * working,
    )
    summary = summarize(output)
    files: list[Path] = []
    if folder is not None:
        files.append(folder / "events.csv")
        if trace:
            files.append(folder / "trace.ndjson")
        files.append(_write_json(folder / "summary.json", summary))
        write_report(output, folder / "returns_report.tsv")
        files.append(folder / "returns_report.tsv")
        if plots:
            files.extend(write_plots(output, summary, folder))
    finished = time.perf_counter()
    timings = RunTimings(
        population_s=round(built - started, 3),
        simulation_s=round(simulated - built, 3),
        results_s=round(finished - simulated, 3),
        total_s=round(finished - started, 3),
        cpu_s=round(time.process_time() - cpu_started, 3),
        peak_memory_mb=round(_peak_rss_mb(), 1),
        simpy_events=model.scheduled_events(),
    )
    if folder is not None:
        files.append(_write_json(folder / "manifest.json", manifest(loaded, seed, days, orders,
                                                                    hello.implementation,
                                                                    hello.version, command,
                                                                    timings)))
    return RunResult(output, summary, timings, tuple(files))


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def manifest(
    loaded: LoadedScenario,
    seed: int,
    days: int,
    orders: int | None,
    implementation: str,
    implementation_version: str,
    command: Sequence[str],
    timings: RunTimings,
) -> dict[str, Any]:
    """What was run, with what, and how long it took (only ``timings`` differs between two
    runs of the same command)."""
    return {
        "scenario": {
            "name": loaded.name,
            "source": loaded.source,
            "sha256": loaded.sha256,
            "baseline_sha256": loaded.baseline_sha256,
        },
        "seed": seed,
        "days": days,
        "orders_requested": orders,
        "engine": {"implementation": implementation, "version": implementation_version},
        "packages": {"python": platform.python_version(), **{p: _version(p) for p in PACKAGES}},
        "command": list(command),
        "timings": {
            "wall_time_s": timings.total_s,
            "population_s": timings.population_s,
            "simulation_s": timings.simulation_s,
            "results_s": timings.results_s,
            "cpu_time_s": timings.cpu_s,
            "peak_memory_mb": timings.peak_memory_mb,
        },
    }
