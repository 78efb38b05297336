"""The experiment's plots, as PNG files a policy designer looks at instead of the tables.

Each is titled with the scenarios and the replication count. Like the run's plots they are
drawn on matplotlib's object API with the Agg canvas and saved without a software stamp, so
the same results give the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.experiments.design import Experiment
from sim.experiments.replicate import WAIT_EDGES_H, WAIT_PATHS, ReplicationResult
from sim.experiments.stats import HEADLINE, Row
from sim.reports.figures import new_figure, save_png

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

NOISE, EFFECT = "#4c72b0", "crimson"


def _panels(n: int, cols: int = 3) -> tuple[Figure, list[Axes]]:
    rows = max(1, math.ceil(n / cols))
    fig = new_figure(5.0 * cols, 2.2 + 2.6 * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel().tolist()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes


def _headline(rows: Sequence[Row]) -> list[tuple[str, str]]:
    present = {r.kpi for r in rows if r.mean is not None}
    return [(k, label) for k, label in HEADLINE if k in present]


def _subtitle(exp: Experiment, intervals: bool = True) -> str:
    names = [c.name for c in exp.cases]
    shown = ", ".join(names) if len(names) <= 4 else f"{', '.join(names[:3])}, ... ({len(names)})"
    return f"{shown}; {exp.replications} replications each" + (
        ", 95% intervals" if intervals else "")


def plot_differences(exp: Experiment, rows: Sequence[Row], path: Path) -> None:
    """Forest plot: each headline KPI's difference from the base, one row per scenario."""
    kpis = _headline(rows)
    others = [c.name for c in exp.cases[1:]]
    fig, axes = _panels(len(kpis))
    for ax, (kpi, label) in zip(axes, kpis, strict=False):
        by = {r.scenario: r for r in rows if r.kpi == kpi}
        for y, name in enumerate(others):
            r = by.get(name)
            if r is None or r.diff_mean is None:
                continue
            colour = EFFECT if r.beyond_noise else NOISE
            if r.diff_ci_low is not None and r.diff_ci_high is not None:
                ax.errorbar([r.diff_mean], [y], fmt="o", color=colour, capsize=4,
                            xerr=[[r.diff_mean - r.diff_ci_low], [r.diff_ci_high - r.diff_mean]])
            else:
                ax.plot([r.diff_mean], [y], "o", color=colour)
        ax.axvline(0.0, color="grey", linewidth=0.8)
        ax.set_yticks(range(len(others)), others)
        ax.set_ylim(-0.7, len(others) - 0.3)
        ax.invert_yaxis()
        ax.set_title(label, fontsize=10)
    fig.suptitle(f"Difference from {exp.base.name} (red: interval excludes 0)\n"
                 f"{_subtitle(exp)}")
    save_png(fig, path)


def plot_spread(exp: Experiment, results: Sequence[ReplicationResult], rows: Sequence[Row],
                path: Path) -> None:
    """Each headline KPI in every replication (dots) with the mean and its interval."""
    kpis = _headline(rows)
    names = [c.name for c in exp.cases]
    fig, axes = _panels(len(kpis))
    for ax, (kpi, label) in zip(axes, kpis, strict=False):
        for x, name in enumerate(names):
            values = [v for r in results if r.ok and r.scenario == name
                      for k, v in r.kpis if k == kpi and v is not None]
            ax.plot([x] * len(values), values, ".", color=NOISE, alpha=0.5)
            row = next((r for r in rows if r.scenario == name and r.kpi == kpi), None)
            if row is not None and row.mean is not None and row.ci_low is not None:
                ax.errorbar([x + 0.2], [row.mean], fmt="_", color="black", capsize=4,
                            yerr=[[row.mean - row.ci_low], [(row.ci_high or row.mean) - row.mean]])
        ax.set_xticks(range(len(names)), names, rotation=20, ha="right", fontsize=8)
        ax.set_title(label, fontsize=10)
    fig.suptitle(f"Each replication (dots) and the mean with its interval\n{_subtitle(exp)}")
    save_png(fig, path)


def plot_waits(exp: Experiment, results: Sequence[ReplicationResult], path: Path) -> None:
    """Time to authorization by path, all replications pooled, scenarios overlaid."""
    fig = new_figure(12, 5)
    axes = fig.subplots(1, len(WAIT_PATHS), squeeze=False).ravel()
    edges = np.asarray(WAIT_EDGES_H)
    for ax, wait_path in zip(axes, WAIT_PATHS, strict=True):
        for case in exp.cases:
            total = np.zeros(edges.size - 1)
            for r in results:
                if r.ok and r.scenario == case.name:
                    total += np.asarray(dict(r.waits)[wait_path], dtype=float)
            if total.sum() > 0:
                ax.stairs(total / total.sum(), edges, label=f"{case.name} ({int(total.sum())})")
        ax.set_title(f"{wait_path} path")
        ax.set_xlabel("hours from request to authorization (last bin: 240 h or more)")
        ax.set_ylabel("share of requests on this path")
        ax.legend(fontsize=8)
    fig.suptitle("Time to authorization by path, replications pooled\n"
                 f"{_subtitle(exp, intervals=False)}")
    save_png(fig, path)


def plot_backlog(exp: Experiment, results: Sequence[ReplicationResult], path: Path) -> None:
    """Weekly mean of requests pending: mean over replications, band from lowest to highest."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    fig = new_figure(12, 5)
    ax = fig.subplots()
    for case in exp.cases:
        mine = [r for r in results if r.ok and r.scenario == case.name and r.weekly_backlog]
        if not mine:
            continue
        weeks = min(len(r.weekly_backlog) for r in mine)
        values = np.asarray([r.weekly_backlog[:weeks] for r in mine])
        start = date.fromisoformat(mine[0].start)
        dates = [start + timedelta(days=7 * w + 3) for w in range(weeks)]
        (line,) = ax.plot(dates, values.mean(axis=0), label=case.name)  # type: ignore[arg-type]
        ax.fill_between(dates, values.min(axis=0), values.max(axis=0),  # type: ignore[arg-type]
                        color=line.get_color(), alpha=0.2)
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.set_ylabel("requests pending authorization (weekly mean)")
    ax.legend(fontsize=8)
    ax.set_title(f"Pending backlog by week: mean over replications, band lowest to highest\n"
                 f"{_subtitle(exp, intervals=False)}")
    save_png(fig, path)


def _f(value: float | None) -> float:
    return math.nan if value is None else value


def _x_positions(values: Sequence[Any]) -> tuple[list[float], list[str] | None]:
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return [float(v) for v in values], None
    return [float(i) for i in range(len(values))], [str(v) for v in values]


def plot_sweep(exp: Experiment, rows: Sequence[Row], path: Path) -> None:
    """Each headline KPI against the first swept value, a line per other combination."""
    key, values = exp.vary[0]
    xs, ticks = _x_positions(values)
    kpis = _headline(rows)
    fig, axes = _panels(len(kpis))
    groups: dict[str, list[str]] = {}
    for case in exp.cases:
        rest = ", ".join(f"{k.rsplit('.', 1)[-1]}={v}" for k, v in case.point.items() if k != key)
        groups.setdefault(rest, []).append(case.name)
    for ax, (kpi, label) in zip(axes, kpis, strict=False):
        by = {r.scenario: r for r in rows if r.kpi == kpi}
        for rest, names in groups.items():
            pts = [(x, by[n]) for x, n in zip(xs, names, strict=False) if by[n].mean is not None]
            if not pts:
                continue
            px = [p[0] for p in pts]
            (line,) = ax.plot(px, [_f(p[1].mean) for p in pts], "o-", label=rest or None)
            if all(p[1].ci_low is not None for p in pts):
                ax.fill_between(px, [_f(p[1].ci_low) for p in pts],
                                [_f(p[1].ci_high) for p in pts], color=line.get_color(),
                                alpha=0.2)
        if ticks is not None:
            ax.set_xticks(xs, ticks)
        ax.set_xlabel(key, fontsize=8)
        ax.set_title(label, fontsize=10)
        if len(groups) > 1:
            ax.legend(fontsize=7)
    fig.suptitle(f"KPIs against {key}: mean and 95% interval band\n{_subtitle(exp)}")
    save_png(fig, path)


def write_plots(folder: Path, exp: Experiment, results: Sequence[ReplicationResult],
                rows: Sequence[Row]) -> list[Path]:
    written = []
    for name, draw in (
        ("differences.png", lambda p: plot_differences(exp, rows, p)),
        ("spread.png", lambda p: plot_spread(exp, results, rows, p)),
        ("time_to_authorization.png", lambda p: plot_waits(exp, results, p)),
        ("weekly_backlog.png", lambda p: plot_backlog(exp, results, p)),
    ):
        draw(folder / name)
        written.append(folder / name)
    if exp.kind == "sweep" and exp.vary:
        plot_sweep(exp, rows, folder / "sweep.png")
        written.append(folder / "sweep.png")
    return written
