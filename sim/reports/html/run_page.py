"""A run's page: the scenario and what differs from the baseline, the KPIs with their
definitions, the plots, and the manifest."""

from __future__ import annotations

from pathlib import Path

from sim.model.scenario import LoadedScenario
from sim.reports.html.folder import REPORT_NAME
from sim.reports.html.kpi_terms import kpi_rows
from sim.reports.html.page import render, write_page
from sim.reports.html.run_data import SCENARIO_FILE, KnownRunData, read_run
from sim.reports.html.run_plots import DrawnEarly, run_plots
from sim.reports.html.settings import differences


def run_html(folder: Path, known: KnownRunData | None = None,
             early: DrawnEarly | None = None) -> str:
    run = read_run(folder, known)
    diffs = differences([run.scenario]) if run.scenario is not None else []
    return render(
        "run.html",
        title=f"Run {run.summary['scenario']}, seed {run.summary['seed']}",
        run=run,
        end_date=type(run.start).fromordinal(run.start.toordinal() + run.days - 1),
        differences=diffs,
        kpis=kpi_rows(run.summary),
        plots=run_plots(run, early),
    )


def write_run_page(folder: Path, known: KnownRunData | None = None,
                   early: DrawnEarly | None = None) -> Path:
    """(Re)build ``report.html`` of a run folder from its files (or, for the run's writer,
    from what it knows of them, with the plots of the events it drew already)."""
    return write_page(folder / REPORT_NAME, run_html(folder, known, early))


def write_run_report(folder: Path, loaded: LoadedScenario, known: KnownRunData | None = None,
                     early: DrawnEarly | None = None
                     ) -> tuple[Path, Path]:
    """Keep the scenario as run beside the results, then write the page: the one call a
    run's folder writer makes, once every other file is written (or known)."""
    (folder / SCENARIO_FILE).write_bytes(loaded.data)
    return folder / SCENARIO_FILE, write_run_page(folder, known, early)
