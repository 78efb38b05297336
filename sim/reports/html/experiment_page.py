"""An experiment's page (``compare`` or ``sweep``): the comparison table with differences
marked where beyond noise, the forest plot, the per-KPI spreads, the sweep curves, the settings
of each scenario side by side, and the manifest."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from sim.reports.html.experiment_data import Experiment, read_experiment
from sim.reports.html.experiment_plots import forest_plot, spread_plot, sweep_plot
from sim.reports.html.kpi_terms import definition
from sim.reports.html.page import Plot, render
from sim.reports.html.settings import differences

# The experiment's own pooled plots (docs/experiments.md), shown as they are: the folder keeps
# no per-replication time series to redraw them from.
POOLED = {
    "weekly_backlog.png": "Is the manual queue keeping up, week by week, in each scenario?",
    "time_to_authorization.png": "How long do buyers wait for a decision in each scenario?",
}


@dataclass(frozen=True)
class Cell:
    mean: str
    interval: str
    diff: str  # "" on the base's column
    beyond: bool | None


@dataclass(frozen=True)
class TableRow:
    kpi: str
    definition: str
    cells: tuple[Cell, ...]


def fmt(value: float | None) -> str:
    if value is None:
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _signed(value: float) -> str:
    text = fmt(value)
    return text if text.startswith("-") else "+" + text


def table(exp: Experiment, kpis: tuple[str, ...]) -> list[TableRow]:
    rows = []
    for kpi in kpis:
        cells = []
        for name in exp.scenarios:
            r = exp.rows.get((name, kpi))
            if r is None:
                cells.append(Cell("–", "", "", None))
                continue
            interval = f"[{fmt(r.ci_low)}, {fmt(r.ci_high)}]" if r.ci_low is not None else ""
            diff = ""
            if name != exp.base and r.diff_mean is not None:
                diff = _signed(r.diff_mean)
                if r.diff_pct is not None:
                    diff += f" ({r.diff_pct:+.1f}%)"
            cells.append(Cell(fmt(r.mean), interval, diff, r.beyond_noise))
        rows.append(TableRow(kpi, definition(kpi), tuple(cells)))
    return rows


def pooled_plots(folder: Path) -> list[Plot]:
    found = []
    for name, question in POOLED.items():
        path = folder / name
        if path.is_file():
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            found.append(Plot(question, f"data:image/png;base64,{data}", name))
    return found


def _title(exp: Experiment) -> str:
    if exp.kind == "sweep":
        return f"Sweep of {exp.base.split('[', 1)[0]}: {len(exp.scenarios)} points"
    more = f" and {len(exp.scenarios) - 4} more" if len(exp.scenarios) > 4 else ""
    return f"Compare: {', '.join(exp.scenarios[:4])}{more}"


def experiment_html(folder: Path) -> str:
    exp = read_experiment(folder)
    plots = [forest_plot(exp), spread_plot(exp)]
    sweep = sweep_plot(exp)
    if sweep is not None:
        plots.insert(1, sweep)
    plots += pooled_plots(folder)
    readable = [t for t in exp.settings if t is not None]
    beyond = sum(1 for (s, k), r in exp.rows.items()
                 if k in exp.headline and s != exp.base and r.beyond_noise)
    return render(
        "experiment.html",
        title=_title(exp),
        exp=exp,
        beyond=beyond,
        headline=table(exp, exp.headline),
        everything=table(exp, tuple(k for k in exp.kpis if k not in exp.headline)),
        plots=plots,
        settings=differences(readable) if len(readable) == len(exp.settings) else None,
    )
