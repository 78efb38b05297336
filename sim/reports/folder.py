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
from sim.reports.html.run_page import write_run_report
from sim.reports.kpis import summarize
from sim.reports.manifest import RunTimings, run_manifest, write_json
from sim.reports.plots import plots_drawn_beside
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


def write_run_folder(
    output: RunOutput,
    folder: Path,
    *,
    loaded: LoadedScenario,
    command: Sequence[str] = (),
    plots: bool = True,
    page: bool = True,
) -> WrittenRun:
    """Write the result files of ``output`` into ``folder`` (which exists); ``page=False``
    leaves out ``scenario.toml`` and ``report.html`` (a test writing hundreds of folders)."""
    started = time.perf_counter()
    cpu_started = time.process_time()
    files = [folder / name for name in STREAMED if (folder / name).exists()]
    summary = summarize(output)
    files.append(write_json(folder / "summary.json", summary))
    with plots_drawn_beside(output, summary, folder, plots) as drawn:
        write_report(output, folder / "returns_report.tsv")
        files.append(folder / "returns_report.tsv")
    files.extend(drawn)
    sim = output.timings
    results_s = time.perf_counter() - started
    timings = RunTimings(
        population_s=round(sim.population_s, 3),
        simulation_s=round(sim.simulation_s, 3),
        results_s=round(results_s, 3),
        total_s=round(sim.population_s + sim.simulation_s + results_s, 3),
        cpu_s=round(sim.cpu_s + time.process_time() - cpu_started, 3),
        peak_memory_mb=round(peak_rss_mb(), 1),
        simpy_events=sim.simpy_events,
    )
    files.append(write_json(folder / "manifest.json",
                            run_manifest(loaded, output, command, timings)))
    if page:  # scenario.toml, report.html: from the files written above
        files.extend(write_run_report(folder, loaded))
    return WrittenRun(summary, timings, tuple(files))
