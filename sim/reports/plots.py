"""The run's plots, as PNG files: what a policy designer looks at instead of the tables.

Figures are built on matplotlib's object API with the Agg canvas (no pyplot state, no display
needed), and saved without the software-version stamp so the same run gives the same bytes.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import numpy as np

from sim.core.policy import marketplace_window_days
from sim.core.values import DAY, HOUR, LabelType, Payer, Policy
from sim.model.output import THROUGHPUT, RunOutput
from sim.reports.figures import new_figure, save_png

PLOTS = (
    "time_to_authorization.png",
    "pending_backlog.png",
    "daily_throughput.png",
    "windows_by_category.png",
    "labels.png",
)
_PATH_COLOURS = {"auto": "#4c72b0", "manual": "#dd8452", "batch": "#55a868"}


def plot_time_to_authorization(out: RunOutput, path: Path) -> None:
    fig = new_figure()
    ax = fig.subplots()
    waits = {k: np.asarray(v, dtype=float) / HOUR for k, v in out.tally.waits.items()}
    slow = [w for k, w in waits.items() if k != "auto" and w.size]
    top = max((float(np.percentile(w, 99)) for w in slow), default=1.0)
    bins = np.linspace(0.0, max(top, 1.0), 60)
    for name in ("manual", "batch"):
        w = waits[name]
        if w.size:  # one filled step patch, not a bar per bin: the same pixels, ~50 ms less
            counts, _ = np.histogram(np.clip(w, 0, bins[-1]), bins=bins)
            ax.stairs(counts, bins, fill=True, alpha=0.6, color=_PATH_COLOURS[name],
                      label=f"{name} ({w.size} requests, p90 {np.percentile(w, 90):.1f} h)")
    auto = waits["auto"].size
    ax.axvline(out.policy.manual_response_hours, color="crimson", linestyle="--",
               label=f"respond_by ({out.policy.manual_response_hours} h)")
    ax.set_title(f"Time to authorization by path ({auto} more authorized automatically at 0 h)")
    ax.set_xlabel("time from request to authorization (hours; last bin holds the slowest 1%)")
    ax.set_ylabel("authorized requests (count)")
    ax.legend(loc="upper right")
    save_png(fig, path)


def plot_backlog(out: RunOutput, path: Path) -> None:
    fig = new_figure(10, 5)
    ax = fig.subplots()
    backlog = np.asarray(out.tally.backlog, dtype=float)
    hours = np.arange(backlog.size) / 24.0
    ax.plot(hours, backlog, color="#4c72b0", linewidth=0.7, label="requests pending (hourly)")
    breaches = np.asarray(out.tally.breaches, dtype=np.int64)
    if breaches.size and backlog.size:
        at_hour = np.clip(breaches // HOUR, 0, backlog.size - 1)
        ax.scatter(breaches / DAY, backlog[at_hour], s=8, color="crimson", marker="x",
                   label=f"answered after respond_by ({breaches.size})", zorder=3)
    ax.set_title("Pending manual authorizations over time, with response-time breaches")
    ax.set_xlabel(f"day of the run (days since {_start(out)})")
    ax.set_ylabel("pending requests (count)")
    ax.legend(loc="upper left")
    save_png(fig, path)


def plot_throughput(out: RunOutput, path: Path) -> None:
    fig = new_figure(10, 5)
    ax = fig.subplots()
    days = np.arange(out.days)
    for name in THROUGHPUT:
        ax.plot(days, out.tally.daily_array(name), linewidth=0.9, label=name)
    ax.set_title("Daily throughput: requests, authorizations, receipts and closures")
    ax.set_xlabel(f"day of the run (days since {_start(out)})")
    ax.set_ylabel("returns per day (count)")
    ax.legend(loc="upper left")
    save_png(fig, path)


def plot_windows(policy: Policy, categories: Sequence[str], path: Path) -> None:
    """Drawn from the policy and the catalog's categories alone, known before a run starts:
    a run's writer draws it while the run goes on (:func:`write_tally_plots`)."""
    cats = list(categories)
    fig = new_figure(9, 0.45 * len(cats) + 1.8)
    ax = fig.subplots()
    y = np.arange(len(cats))
    window = np.array([marketplace_window_days(policy, c) for c in cats], dtype=float)
    closed = [c in policy.non_returnable_categories for c in cats]
    ax.barh(y, window, color=["#bbbbbb" if x else "#4c72b0" for x in closed],
            label="return window (days after delivery)")
    ax.barh(y, [policy.transit_days] * len(cats), left=window, color="#dd8452",
            label=f"+ transit allowance ({policy.transit_days} days): close-eligible")
    for i, c in enumerate(cats):
        note = "non-returnable" if closed[i] else ""
        if c in policy.prepaid_exempt_categories:
            note = (note + ", " if note else "") + "prepaid-exempt"
        if note:
            ax.text(window[i] + policy.transit_days + 1, i, note, va="center", fontsize=8)
    ax.set_yticks(y, cats)
    ax.invert_yaxis()
    title = "Return windows and close-eligibility by category"
    if policy.holiday is not None:
        h = policy.holiday
        title += (f"\nholiday rule: orders {h.ordered_from:%d %b}-{h.ordered_to:%d %b %Y}"
                  f" returnable until {h.return_by:%d %b %Y}")
    ax.set_title(title)
    ax.set_xlabel("days after delivery")
    ax.set_ylabel("category")
    ax.legend(loc="lower right", fontsize=8)
    save_png(fig, path)


def plot_labels(summary: dict[str, Any], path: Path) -> None:
    fig = new_figure(10, 4.5)
    left, right = fig.subplots(1, 2)
    kinds = [t.value for t in LabelType]
    counts = [summary["labels"][k]["count"] for k in kinds]
    left.bar(kinds, counts, color=["#4c72b0", "#dd8452", "#55a868"])
    left.set_title("Label mix of authorized returns")
    left.set_xlabel("label type")
    left.set_ylabel("authorized returns (count)")
    payers = [p.value for p in Payer]
    totals = [summary["label_cost_by_payer"][p]["total"] for p in payers]
    right.bar(payers, totals, color=["#c44e52", "#8172b2"])
    right.set_title("Cost of labels used, by who pays")
    right.set_xlabel("paid by")
    right.set_ylabel("label cost (USD)")
    fig.suptitle("Return labels")
    save_png(fig, path)


def _start(out: RunOutput) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(out.start))


def plot_paths(folder: Path) -> list[Path]:
    return [folder / name for name in PLOTS]


WindowsOf = tuple[Policy, tuple[str, ...]]
"""What :func:`plot_windows` draws from: the policy and the catalog's categories."""


def windows_of(out: RunOutput) -> WindowsOf:
    return out.policy, tuple(out.catalog.categories)


def write_tally_plots(out: RunOutput, folder: Path, windows_drawn: WindowsOf | None = None
                      ) -> None:
    """The four plots drawn from the run's tallies alone (not the KPIs): the first four of
    :data:`PLOTS`; the windows plot only if ``windows_drawn`` (what it was drawn from
    already, if it was) is not the run's."""
    paths = plot_paths(folder)
    plot_time_to_authorization(out, paths[0])
    plot_backlog(out, paths[1])
    plot_throughput(out, paths[2])
    if windows_drawn != windows_of(out):
        plot_windows(*windows_of(out), paths[3])


def write_plots(out: RunOutput, summary: dict[str, Any], folder: Path) -> list[Path]:
    write_tally_plots(out, folder)
    plot_labels(summary, plot_paths(folder)[4])
    return plot_paths(folder)


class PlotWriterFailed(RuntimeError):
    """The child process drawing the plots failed (a bug: its traceback is the message)."""


def _draw_in_child(draw: Callable[[], object], report: Connection) -> None:
    try:
        drawn = draw()
    except BaseException:  # everything, Ctrl-C included, goes back to the parent as text
        report.send((traceback.format_exc(), None))
    else:
        report.send((None, drawn))


class Beside:
    """A ``draw`` going on beside (:func:`drawn_beside`): in a forked child (``process``), or,
    where there is no safe fork, in this process when its result is first asked for."""

    def __init__(self, draw: Callable[[], object], process: BaseProcess | None = None,
                 report: Connection | None = None) -> None:
        self.process = process
        self._draw, self._report = draw, report
        self._said: tuple[str | None, Any] | None = None

    def result(self) -> Any:
        """What ``draw`` returned (waiting for it); a failure in the child is raised as
        :class:`PlotWriterFailed`, each time it is asked for."""
        if self._said is None:
            if self.process is None or self._report is None:
                self._said = (None, self._draw())
            else:
                try:
                    self._said = self._report.recv()
                except EOFError:  # killed before it could say
                    self.process.join()
                    self._said = ("the plot writer ended without a word (exit code "
                                  f"{self.process.exitcode})", None)
        failure, drawn = self._said
        if failure is not None:
            raise PlotWriterFailed(failure)
        return drawn


@contextmanager
def drawn_beside(draw: Callable[[], object]) -> Iterator[Beside]:
    """Call ``draw`` while the body of the ``with`` does other work; what it returns is the
    yielded :class:`Beside`'s ``result()``, which the block may wait for (else its end does).

    Drawing is CPU work that nothing else in the process waits for, so on Linux a forked
    child draws on the second core (its process yielded too, for a signal handler that must
    end it): a fork shares the run's output without copying or pickling it, and the child
    ends with ``os._exit`` (multiprocessing's fork start), so none of the parent's clean-up
    (the staged folder's) runs twice. Elsewhere (no safe fork) ``draw`` is called in this
    process when its result is asked for, at the latest after the block. A failure in the
    child is raised here as :class:`PlotWriterFailed`."""
    if not sys.platform.startswith("linux"):
        drawing = Beside(draw)
        yield drawing
        drawing.result()
        return
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_draw_in_child, args=(draw, send),
                            name="returns-sim plots", daemon=True)
    child.start()
    send.close()
    drawing = Beside(draw, child, receive)
    try:
        yield drawing
        drawing.result()
    finally:
        receive.close()
        child.join()


@contextmanager
def plots_drawn_beside(
    out: RunOutput, summary: dict[str, Any], folder: Path, plots: bool = True
) -> Iterator[list[Path]]:
    """Draw the PNG plots (:func:`drawn_beside`) while the body of the ``with`` writes other
    files; the list yielded holds the plots' paths once the block has ended (empty without
    ``plots``)."""
    drawn: list[Path] = []
    if not plots:
        yield drawn
        return
    with drawn_beside(partial(write_plots, out, summary, folder)):
        yield drawn
    drawn.extend(plot_paths(folder))
