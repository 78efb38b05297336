"""An experiment's plots: each headline KPI's difference from the base with its interval
(the forest plot: what to read), every replication's value (the spread: how noisy), and for a
sweep each KPI against the swept value."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from sim.reports.html.experiment_data import Experiment
from sim.reports.html.page import PALETTE, Plot, figure, plot

_COLUMNS = 4


def _who(exp: Experiment) -> str:
    seed = exp.manifest.get("seeds", {}).get("seed")
    return f"{exp.replications} replications" + (f", seed {seed}" if seed is not None else "")


def _grid(n: int, row_height: float, width: float = 11.0) -> tuple[Any, list[Any]]:
    columns = min(_COLUMNS, max(n, 1))
    rows = math.ceil(n / columns)
    fig = figure(width, row_height * rows + 0.9)
    axes = list(fig.subplots(rows, columns, squeeze=False).flat)
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]


def _short(name: str, limit: int = 26) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def forest_plot(exp: Experiment) -> Plot:
    others = [s for s in exp.scenarios if s != exp.base]
    fig, axes = _grid(len(exp.headline), 0.32 * len(others) + 1.3)
    for ax, kpi in zip(axes, exp.headline, strict=True):
        for i, name in enumerate(others):
            row = exp.rows.get((name, kpi))
            if row is None or row.diff_mean is None:
                continue
            low = row.diff_ci_low if row.diff_ci_low is not None else row.diff_mean
            high = row.diff_ci_high if row.diff_ci_high is not None else row.diff_mean
            colour = PALETTE[3] if row.beyond_noise else "#8c8c8c"
            ax.errorbar([row.diff_mean], [i], xerr=[[row.diff_mean - low], [high - row.diff_mean]],
                        fmt="o", color=colour, capsize=3,
                        markerfacecolor=colour if row.beyond_noise else "white")
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_yticks(range(len(others)), [_short(exp.label(s)) for s in others], fontsize=7)
        ax.set_ylim(len(others) - 0.5, -0.5)
        ax.set_title(kpi, fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(f"Difference from {exp.base} with {exp.confidence:.0%} paired intervals "
                 f"(red: beyond noise) — {_who(exp)}", fontsize=11)
    return plot(fig, f"Which differences from {exp.base} are beyond seed-to-seed noise?",
                "forest plot of each headline KPI's paired difference from the base")


def spread_plot(exp: Experiment) -> Plot:
    n = len(exp.scenarios)
    fig, axes = _grid(len(exp.headline), 0.3 * n + 1.3)
    for ax, kpi in zip(axes, exp.headline, strict=True):
        for i, name in enumerate(exp.scenarios):
            values = exp.values.get((name, kpi), [])
            colour = PALETTE[i % len(PALETTE)]
            if values:
                jitter = (np.arange(len(values)) % 5 - 2) * 0.06
                ax.scatter(values, i + jitter, s=9, color=colour, alpha=0.6)
            row = exp.rows.get((name, kpi))
            if row is not None and row.mean is not None:
                low = row.ci_low if row.ci_low is not None else row.mean
                high = row.ci_high if row.ci_high is not None else row.mean
                ax.plot([low, high], [i - 0.3, i - 0.3], color="#222222", linewidth=2)
                ax.plot([row.mean], [i - 0.3], "|", color="#222222", markersize=8)
        ax.set_yticks(range(n), [_short(exp.label(s)) for s in exp.scenarios], fontsize=7)
        ax.set_ylim(n - 0.5, -0.6)
        ax.set_title(kpi, fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(f"Every replication's value (dots), the mean and its {exp.confidence:.0%} "
                 f"interval (bar) — {_who(exp)}", fontsize=11)
    return plot(fig, "How much does each KPI vary from one replication to the next?",
                "per-KPI spread of replication values per scenario")


def _numeric(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def sweep_plot(exp: Experiment) -> Plot | None:
    if exp.kind != "sweep" or not exp.vary:
        return None
    key = next(iter(exp.vary))
    xs = {s: _numeric(exp.points.get(s, {}).get(key)) for s in exp.scenarios}
    if any(x is None for x in xs.values()):
        return None
    rest = [k for k in exp.vary if k != key]
    lines: dict[str, list[str]] = {}
    for s in exp.scenarios:
        label = ", ".join(f"{k.rsplit('.', 1)[-1]}={exp.points[s].get(k)}" for k in rest)
        lines.setdefault(label, []).append(s)
    fig, axes = _grid(len(exp.headline), 2.2)
    for ax, kpi in zip(axes, exp.headline, strict=True):
        for i, (label, names) in enumerate(lines.items()):
            names = sorted(names, key=lambda s: xs[s] or 0.0)
            x, mean, low, high = [], [], [], []
            for s in names:
                r = exp.rows.get((s, kpi))
                if r is None or r.mean is None:
                    continue
                x.append(float(xs[s] or 0.0))
                mean.append(r.mean)
                low.append(r.ci_low if r.ci_low is not None else r.mean)
                high.append(r.ci_high if r.ci_high is not None else r.mean)
            if not x:
                continue
            colour = PALETTE[i % len(PALETTE)]
            ax.plot(x, mean, marker="o", markersize=3, color=colour, label=label or None)
            ax.fill_between(x, low, high, color=colour, alpha=0.2)
        ax.set_title(kpi, fontsize=8)
        ax.set_xlabel(key, fontsize=7)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
        if rest and kpi == exp.headline[0]:
            ax.legend(fontsize=6)
    fig.suptitle(f"Each headline KPI against {key}: mean and {exp.confidence:.0%} interval "
                 f"— {_who(exp)}", fontsize=11)
    return plot(fig, f"How does each KPI move as {key} changes?",
                "sweep curves: KPI means with interval bands against the swept value")
