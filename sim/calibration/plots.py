"""The calibration's plots: each estimate with its interval, and the data beside the fit.

Built like the run's plots (matplotlib's object API on the Agg canvas, no software stamp), so
the same inputs give the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from sim.calibration.estimation import Calibration
from sim.calibration.fitting import DelayFit, Share
from sim.model.scenario_spec import Scenario
from sim.reports.figures import new_figure, save_png

if TYPE_CHECKING:
    from matplotlib.axes import Axes

PLOTS = ("request_delay.png", "ship_delay.png", "return_rates.png", "reasons.png", "shares.png")
MAX_GAP_SHOWN = 90




def _delay(fit: DelayFit | None, title: str, xlabel: str, path: Path) -> None:
    fig = new_figure()
    ax = fig.subplots()
    if fit is None:
        ax.text(0.5, 0.5, "too few returns to fit", ha="center", transform=ax.transAxes)
    else:
        gaps = [g for g in range(0, min(max(fit.observed), MAX_GAP_SHOWN) + 1)]
        ax.bar(gaps, [fit.observed.get(g, 0) for g in gaps], color="#9db4d6",
               label=f"reports ({fit.n} returns)")
        ax.plot(gaps, [fit.expected.get(g, 0.0) for g in gaps], color="#c44e52", marker=".",
                label=f"fitted lognormal: median {fit.median:.2f} [{fit.median_low:.2f}, "
                      f"{fit.median_high:.2f}], sigma {fit.sigma:.2f} [{fit.sigma_low:.2f}, "
                      f"{fit.sigma_high:.2f}]")
        ax.legend(loc="upper right")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("returns")
    save_png(fig, path)


def _intervals(ax: Axes, shares: Mapping[str, Share], base: Mapping[str, float]) -> None:
    names = [n for n, s in shares.items() if not math.isnan(s.value)]
    ys = list(range(len(names)))
    values = [shares[n].value for n in names]
    ax.errorbar(values, ys, xerr=[[v - shares[n].low for n, v in zip(names, values, strict=True)],
                                  [shares[n].high - v for n, v in zip(names, values, strict=True)]],
                fmt="o", color="#4c72b0", capsize=3, label="estimate and interval")
    marks = [(base[n], y) for n, y in zip(names, ys, strict=True) if n in base]
    if marks:
        ax.scatter([m[0] for m in marks], [m[1] for m in marks], marker="x", color="#c44e52",
                   zorder=3, label="base scenario")
    ax.set_yticks(ys, names)
    ax.invert_yaxis()
    ax.legend(loc="lower right", fontsize="small")


def write_plots(cal: Calibration, base: Scenario, folder: Path) -> list[Path]:
    _delay(cal.delay, "Request delay: order date to request date",
           "days (delivery lag from the base scenario + fitted request delay)",
           folder / "request_delay.png")
    _delay(cal.ship_delay, "Request to receipt", "days (buyer's delay to ship + carrier transit)",
           folder / "ship_delay.png")

    fig = new_figure()
    ax = fig.subplots()
    rates = {n: e.rate for n, e in cal.categories.items() if e.rate is not None}
    if cal.overall_rate is not None:
        rates["(overall)"] = cal.overall_rate
    _intervals(ax, rates, {n: c.return_rate for n, c in base.categories.items()})
    ax.set_title("Return rate by category")
    ax.set_xlabel("returns per order")
    save_png(fig, folder / "return_rates.png")

    shown = [n for n, e in cal.categories.items() if e.reasons][:6]
    fig = new_figure(12.0, 3.0 * max(1, math.ceil(len(shown) / 2)))
    axes = fig.subplots(max(1, math.ceil(len(shown) / 2)), 2, squeeze=False).ravel()
    for ax, name in zip(axes, shown, strict=False):
        e = cal.categories[name]
        spec = base.categories.get(name)
        _intervals(ax, e.reasons, dict(spec.reasons) if spec else {})
        ax.set_title(f"{name}: {e.reasons_basis}"[:70], fontsize="small")
    for ax in axes[len(shown):]:
        ax.set_axis_off()
    fig.suptitle("Reason mix (simultaneous intervals)")
    save_png(fig, folder / "reasons.png")

    fig = new_figure(12.0, 5.0)
    left, right = fig.subplots(1, 2)
    policy = {n: e.in_policy for n, e in cal.categories.items() if e.in_policy is not None}
    _intervals(left, policy, {})
    left.set_title("Share in policy")
    mixed = {f"label {k}": s for k, s in cal.labels.items()}
    mixed.update({f"paid by {k}": s for k, s in cal.payers.items()})
    mixed.update({f"shipped back, {k}": s for k, s in cal.ship_back.items()})
    b = base.buyers.ship_back
    _intervals(right, mixed, {f"shipped back, {k}": getattr(b, k) for k in cal.ship_back})
    right.set_title("Labels, payers and share shipped back")
    save_png(fig, folder / "shares.png")
    return [folder / p for p in PLOTS]
