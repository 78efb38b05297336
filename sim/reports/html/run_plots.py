"""A run's plots, each drawn for the question a policy designer asks of it.

Time axes show calendar dates; the backlog and the flows are weekly (hourly samples are
noise at a year's scale); waits and backlog get one panel or line per seller plan, because
individual and professional sellers work their queues differently; every title names the
scenario and the seed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.reports.html.page import PALETTE, Plot, figure, plot
from sim.reports.html.run_data import THROUGHPUT, RunData

if TYPE_CHECKING:
    from matplotlib.axes import Axes

_PATHS = {"manual": PALETTE[1], "batch": PALETTE[2]}


def _who(run: RunData) -> str:
    return f"{run.summary['scenario']}, seed {run.summary['seed']}"


def _weeks(run: RunData, per_day: np.ndarray, how: str = "mean") -> tuple[Any, np.ndarray]:
    """Weekly mean (or max) of a daily (or finer) series, dated by each week's first day; a
    last, partial week is averaged over the days it has."""
    step = per_day.size // run.days if run.days else 1
    days = per_day[: run.days * step].reshape(run.days, step) if step > 1 else per_day
    daily = days.max(axis=1) if (how == "max" and step > 1) else (
        days.mean(axis=1) if step > 1 else days)
    starts = list(range(0, run.days, 7))
    if len(starts) > 1 and run.days - starts[-1] < 4:
        starts.pop()  # a stub of 1-3 days joins the week before instead of plotting as noise
    ends = [*starts[1:], run.days]
    values = np.asarray([
        daily[s:e].max() if how == "max" else daily[s:e].mean()
        for s, e in zip(starts, ends, strict=True)
    ], dtype=float)
    return [run.start + timedelta(days=s) for s in starts], values


def _dates(ax: Axes) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.grid(axis="y", alpha=0.3)


def waits_plot(run: RunData) -> Plot:
    ev = run.events
    plans = [p for p in ev.plans if any(
        p in ev.waits[k].plans for k in ("manual", "batch"))] or list(ev.plans[:1])
    fig = figure(10, 4.2)
    axes = fig.subplots(1, len(plans), squeeze=False, sharey=False)[0]
    slow = np.concatenate([ev.waits[k].hours for k in ("manual", "batch")])
    top = float(np.percentile(slow, 99)) if slow.size else 1.0
    bins = np.linspace(0.0, max(top, 1.0), 50)
    for ax, plan in zip(axes, plans, strict=True):
        for name, colour in _PATHS.items():
            w = ev.waits[name]
            mine = w.hours[np.asarray(w.plans) == plan] if w.hours.size else w.hours
            if mine.size:  # one filled step patch, not a bar per bin: drawn alike, cheaper
                counts, _ = np.histogram(np.clip(mine, 0, bins[-1]), bins=bins)
                ax.stairs(counts, bins, fill=True, alpha=0.65, color=colour,
                          label=f"{name}: {mine.size:,}, p90 {np.percentile(mine, 90):.1f} h")
        auto = sum(1 for p in ev.waits["auto"].plans if p == plan)
        if run.respond_by_hours is not None:
            ax.axvline(run.respond_by_hours, color="crimson", linestyle="--",
                       label=f"respond_by ({run.respond_by_hours} h)")
        ax.set_title(f"{plan} sellers ({auto:,} more authorized at once)", fontsize=10)
        ax.set_xlabel("hours from request to authorization (last bin: slowest 1%)")
        ax.set_ylabel("requests")
        ax.legend(fontsize=8, loc="upper right")
        ax.grid(axis="y", alpha=0.3)
    fig.suptitle(f"Time to authorization by path and seller plan — {_who(run)}")
    return plot(fig, "How long do buyers wait for a decision, by seller plan?",
                "histograms of hours from request to authorization per seller plan")


def backlog_plot(run: RunData) -> Plot:
    ev = run.events
    fig = figure(10, 5.2)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    for i, plan in enumerate(ev.plans):
        colour = PALETTE[i % len(PALETTE)]
        weeks, mean = _weeks(run, ev.pending[plan].astype(float))
        _, peak = _weeks(run, ev.pending[plan].astype(float), how="max")
        top.plot(weeks, mean, color=colour, marker="o", markersize=3,
                 label=f"{plan}: weekly mean")
        top.fill_between(weeks, mean, peak, color=colour, alpha=0.15,
                         label=f"{plan}: up to the week's peak")
        late = np.bincount(ev.late_answers[plan], minlength=run.days).astype(float)
        _, per_week = _weeks(run, late * 7)
        bottom.bar([w + timedelta(days=1 + 2.5 * i) for w in weeks], per_week, width=2.5,
                   color=colour, label=plan)
    top.set_ylabel("requests pending")
    top.set_title("Requests pending authorization (hourly samples, by week)", fontsize=10)
    top.legend(fontsize=8, loc="upper left", ncols=2)
    note = f"{run.respond_by_hours} h" if run.respond_by_hours is not None else "unknown"
    bottom.set_ylabel("answers per week")
    bottom.set_title(f"Answers given after respond_by ({note})", fontsize=10)
    bottom.legend(fontsize=8, loc="upper left")
    _dates(top)
    _dates(bottom)
    fig.suptitle(f"Is the manual queue keeping up? — {_who(run)}")
    return plot(fig, "Is the manual queue keeping up, week by week?",
                "weekly pending backlog per seller plan, and late answers per week")


def flows_plot(run: RunData) -> Plot:
    fig = figure(10, 4.2)
    ax = fig.subplots()
    for i, name in enumerate(THROUGHPUT):
        weeks, per_day = _weeks(run, run.events.daily[name].astype(float))
        ax.plot(weeks, per_day, color=PALETTE[i], marker="o", markersize=3, label=name)
    ax.set_ylabel("returns per day (weekly average)")
    ax.legend(fontsize=8, loc="upper left", ncols=4)
    _dates(ax)
    fig.suptitle(f"Weekly flow of returns — {_who(run)}")
    return plot(fig, "How many returns come in, get decided, arrive and close each week?",
                "weekly average per day of requests, authorizations, receipts and closures")


def categories_plot(run: RunData) -> Plot | None:
    if not run.by_category or run.scenario is None:
        return None
    policy = run.scenario["policy"]
    cats = list(run.by_category)
    fig = figure(10, 0.38 * len(cats) + 1.6)
    ax = fig.subplots()
    y = np.arange(len(cats))
    inside = np.asarray([run.by_category[c][0] for c in cats], dtype=float)
    outside = np.asarray([run.by_category[c][1] for c in cats], dtype=float)
    ax.barh(y, inside, color=PALETTE[0], label="in policy")
    ax.barh(y, outside, left=inside, color=PALETTE[3], label="out of policy")
    names = []
    for c in cats:
        if c in policy["non_returnable_categories"]:
            names.append(f"{c} (non-returnable)")
        else:
            window = policy["category_window_days"].get(c, policy["default_window_days"])
            names.append(f"{c} ({window}-day window)")
    by_cat = run.summary.get("by_category", {})
    for i, c in enumerate(cats):
        total = inside[i] + outside[i]
        share_out = outside[i] / total if total else 0.0
        rate = by_cat.get(c, {}).get("return_rate")
        text = f"{share_out:.0%} out of policy" + (f", return rate {rate:.1%}" if rate else "")
        ax.text(total, i, "  " + text, va="center", fontsize=8)
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlabel("return requests")
    ax.set_xlim(0, max(float((inside + outside).max()), 1.0) * 1.35)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    fig.suptitle(f"Return requests by category, in and out of policy — {_who(run)}")
    return plot(fig, "Which categories bring the returns, and how many fall outside the policy?",
                "return requests per category, split in and out of policy")


def labels_plot(run: RunData) -> Plot:
    s = run.summary
    fig = figure(10, 3.6)
    left, right = fig.subplots(1, 2)
    kinds = list(s["labels"])
    counts = [s["labels"][k]["count"] for k in kinds]
    left.barh(kinds, counts, color=PALETTE[: len(kinds)])
    for i, k in enumerate(kinds):
        left.text(counts[i], i, f"  {s['labels'][k]['share']:.0%}", va="center", fontsize=8)
    left.set_xlim(0, max(max(counts, default=0), 1) * 1.2)
    left.invert_yaxis()
    left.set_title("Label type of authorized returns", fontsize=10)
    left.set_xlabel("returns")
    payers = list(s["label_cost_by_payer"])
    totals = [s["label_cost_by_payer"][p]["total"] for p in payers]
    right.barh(payers, totals, color=[PALETTE[3], PALETTE[4]][: len(payers)])
    for i, p in enumerate(payers):
        n = s["label_cost_by_payer"][p]["labels"]
        right.text(totals[i], i, f"  {n:,} labels", va="center", fontsize=8)
    right.set_xlim(0, max(max(totals, default=0), 1) * 1.25)
    right.invert_yaxis()
    right.set_title("Cost of labels used, by who pays", fontsize=10)
    right.set_xlabel("USD")
    fig.suptitle(f"Return labels — {_who(run)}")
    return plot(fig, "Which labels do returns travel on, and who pays for them?",
                "label mix and label cost by payer")


EVENT_PLOTS = (waits_plot, backlog_plot, flows_plot)
"""The plots drawn from the events alone (with the run's name, seed, dates and respond_by):
the first three of the page, in its order."""


def event_plots(run: RunData, drawn: Mapping[str, Plot] | None = None) -> list[Plot]:
    """The :data:`EVENT_PLOTS` of ``run``, each drawn here unless ``drawn`` has it already, by
    the name of the function that draws it (drawn of ``run`` elsewhere: a run's writer shares
    them with forked children)."""
    drawn = drawn or {}
    return [drawn[draw.__name__] if draw.__name__ in drawn else draw(run)
            for draw in EVENT_PLOTS]


@dataclass
class DrawnEarly:
    """The :func:`event_plots` drawn before the page's data was complete, with the data they
    were drawn from: ``plots()`` gives them, waiting if need be for a child drawing one;
    ``used`` is set when the page takes them (for the tests)."""

    data: RunData
    plots: Callable[[], list[Plot]]
    used: bool = False


def drawn_for(run: RunData, drawn: RunData) -> bool:
    """Whether the :func:`event_plots` of ``drawn`` are those of ``run``: the same series and
    everything else those plots read."""
    def read(r: RunData) -> tuple[object, ...]:
        return _who(r), r.start, r.days, r.respond_by_hours
    return run.events is drawn.events and read(run) == read(drawn)


def run_plots(run: RunData, early: DrawnEarly | None = None) -> list[Plot]:
    """The page's plots; the plots of the events drawn ``early`` are used if the data they
    were drawn from is ``run``'s, and taken last (one may still be drawn elsewhere)."""
    categories = categories_plot(run)
    labels = labels_plot(run)
    if early is not None and drawn_for(run, early.data):
        plots = list(early.plots())
        early.used = True
    else:
        plots = event_plots(run)
    if categories is not None:
        plots.append(categories)
    plots.append(labels)
    return plots
