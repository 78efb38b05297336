"""A run's results folder, written from its output: ``summary.json``, ``returns_report.tsv``,
the plots and ``manifest.json`` (``events.csv`` and ``trace.ndjson`` are streamed into the same
folder during the run, by the event sink and the tracing port the command gives the run).

The folder given is the stage of :func:`sim.reports.staging.staged_folder`: it becomes the
results folder only once everything in it is written.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.model.output import RunOutput
from sim.model.scenario import LoadedScenario
from sim.reports.html.folder import REPORT_NAME
from sim.reports.html.run_data import SCENARIO_FILE
from sim.reports.html.run_page import write_run_report
from sim.reports.kpis import summarize
from sim.reports.manifest import RunTimings, run_manifest, write_json
from sim.reports.plots import plot_paths, plots_drawn_beside
from sim.reports.returns_report import write_report

STREAMED = ("events.csv", "trace.ndjson")  # written during the run, if it was asked for


@dataclass(frozen=True)
class WrittenRun:
    summary: dict[str, Any]
    timings: RunTimings
    files: tuple[Path, ...]


def peak_rss_mb() -> float:
    """The process's peak resident memory so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (the plot drawer, a run's
    writer process): the CPU a run's results cost, wherever they were written."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def measured_timings(output: RunOutput, started: float, cpu_started: float) -> RunTimings:
    """The run's timings, its results taken as written from ``started`` (``perf_counter``)
    and ``cpu_started`` (:func:`cpu_seconds`) to now."""
    sim = output.timings
    results_s = time.perf_counter() - started
    return RunTimings(
        population_s=round(sim.population_s, 3),
        simulation_s=round(sim.simulation_s, 3),
        results_s=round(results_s, 3),
        total_s=round(sim.population_s + sim.simulation_s + results_s, 3),
        cpu_s=round(sim.cpu_s + cpu_seconds() - cpu_started, 3),
        peak_memory_mb=round(peak_rss_mb(), 1),
        simpy_events=sim.simpy_events,
    )


def written_files(folder: Path, plots: bool, page: bool) -> tuple[Path, ...]:
    """The files of a results folder, in the order they are listed (those streamed during
    the run if it wrote them, then the others)."""
    files = [folder / name for name in STREAMED if (folder / name).exists()]
    files += [folder / "summary.json", folder / "returns_report.tsv"]
    if plots:
        files += plot_paths(folder)
    files.append(folder / "manifest.json")
    if page:
        files += [folder / SCENARIO_FILE, folder / REPORT_NAME]
    return tuple(files)


def write_run_folder(
    output: RunOutput,
    folder: Path,
    *,
    loaded: LoadedScenario,
    command: Sequence[str] = (),
    plots: bool = True,
    page: bool = True,
) -> WrittenRun:
    """Write the result files of ``output`` into ``folder`` (which exists), in this process
    (and a forked child drawing the plots, on Linux); ``page=False`` leaves out
    ``scenario.toml`` and ``report.html`` (a test writing hundreds of folders).
    :mod:`sim.reports.run_writer` writes the same files beside the run."""
    started = time.perf_counter()
    cpu_started = cpu_seconds()
    summary = summarize(output)
    write_json(folder / "summary.json", summary)
    with plots_drawn_beside(output, summary, folder, plots):
        write_report(output, folder / "returns_report.tsv")
    timings = measured_timings(output, started, cpu_started)
    write_json(folder / "manifest.json", run_manifest(loaded, output, command, timings))
    if page:  # scenario.toml, report.html: from the files written above
        write_run_report(folder, loaded)
    return WrittenRun(summary, timings, written_files(folder, plots, page))
