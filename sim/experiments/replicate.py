"""One replication: a pure function of (scenario text, seeds, replication) that returns KPIs
as plain floats and the small tallies the experiment's plots pool.

This is what a process pool or a Dask worker runs. Nothing of SimPy, the engine or the
population leaves the function: a result is a few kilobytes of numbers, whatever the run's
size, so results cross processes cheaply and the parent's memory does not grow with the
number of replications. An exception becomes a failed result carrying its error, so one bad
replication (an engine crash, a knob the engine refuses) does not stop the others.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from sim.core.engine import ReferenceEngine
from sim.core.values import DAY, HOUR
from sim.experiments.design import Task
from sim.model.output import RunOutput
from sim.model.plan import plan_run
from sim.model.run import cyclic_gc_paused, single_run
from sim.model.scenario import parse
from sim.reports.kpis import summarize

# Histogram of hours from request to authorization: 2-hour bins up to 10 days, the last bin
# holding everything slower (pooled over replications for the plot).
WAIT_EDGES_H = tuple(float(h) for h in range(0, 242, 2))
WAIT_PATHS = ("manual", "batch")
# summary.json keys that say what was run rather than what happened
_NOT_KPIS = frozenset({"scenario", "seed", "start", "days", "implementation", "by_category",
                       "engine_calls"})


@dataclass(frozen=True)
class ReplicationResult:
    """The KPIs of one replication (None: undefined, e.g. no request on that path) and the
    tallies for plots; ``error`` is set, and ``kpis`` empty, when it failed."""

    scenario: str
    replication: int
    replication_seed: int
    population_seed: int
    kpis: tuple[tuple[str, float | None], ...]
    start: str  # calendar date of the first simulated day (ISO)
    waits: tuple[tuple[str, tuple[int, ...]], ...]  # path -> counts per WAIT_EDGES_H bin
    weekly_backlog: tuple[float, ...]  # mean requests pending, per whole week
    error: str | None = None
    wall_s: float = 0.0
    cpu_s: float = 0.0
    peak_memory_mb: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None

    def kpi_map(self) -> dict[str, float | None]:
        return dict(self.kpis)


def flatten_kpis(summary: Mapping[str, Any]) -> tuple[tuple[str, float | None], ...]:
    """Every number of a summary as (dotted path, float), in the summary's order."""
    found: list[tuple[str, float | None]] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else key)
        elif node is None:
            found.append((path, None))
        elif isinstance(node, int | float):  # bool is an int
            found.append((path, float(node)))
        # strings (dates, names) are not KPIs

    for key, value in summary.items():
        if key not in _NOT_KPIS:
            walk(value, key)
    return tuple(found)


def _waits(output: RunOutput) -> tuple[tuple[str, tuple[int, ...]], ...]:
    edges = np.asarray(WAIT_EDGES_H)
    out = []
    for path in WAIT_PATHS:
        hours = np.asarray(output.tally.waits.get(path, []), dtype=float) / HOUR
        counts, _ = np.histogram(np.clip(hours, 0.0, edges[-1] - 1e-9), bins=edges)
        out.append((path, tuple(int(c) for c in counts)))
    return tuple(out)


def _weekly_backlog(output: RunOutput) -> tuple[float, ...]:
    hourly = np.asarray(output.tally.backlog, dtype=float)
    weeks = hourly.size // (7 * 24)
    if weeks == 0:
        return ()
    means = hourly[: weeks * 7 * 24].reshape(weeks, 7 * 24).mean(axis=1)
    return tuple(round(float(m), 3) for m in means)


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def simulate_in_memory(task: Task) -> RunOutput:
    """The model run of one replication, no files: the population from the population seed,
    everything that happens from the replication seed."""
    scenario = parse(task.scenario_text.encode("utf-8"), None, task.name)
    plan = plan_run(scenario, name=task.name, seed=task.replication_seed,
                    population_seed=task.population_seed, days=task.days, orders=task.orders)
    return single_run(plan, ReferenceEngine(notifications=False))  # the gateway reads none


def replicate(task: Task) -> ReplicationResult:
    """Run one replication; never raises for a failing run (the error is in the result)."""
    started, cpu = time.perf_counter(), time.process_time()
    try:
        # The collector stays paused until the run's output is dropped: resumed earlier, its
        # first pass would walk every record of the run, all still alive (a second a year).
        with cyclic_gc_paused():
            output = simulate_in_memory(task)
            kpis = flatten_kpis(summarize(output))
            start = (date(1970, 1, 1) + timedelta(days=output.start // DAY)).isoformat()
            waits, weekly = _waits(output), _weekly_backlog(output)
            del output
        error = None
    except Exception as exc:  # recorded, not fatal: the experiment goes on without it
        kpis, start, waits, weekly = (), "", (), ()
        error = f"{type(exc).__name__}: {exc}"
    return ReplicationResult(
        task.name, task.replication, task.replication_seed, task.population_seed, kpis, start,
        waits, weekly, error,
        wall_s=round(time.perf_counter() - started, 3),
        cpu_s=round(time.process_time() - cpu, 3),
        peak_memory_mb=round(_peak_rss_mb(), 1),
    )
