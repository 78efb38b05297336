"""What a run's page needs, read back from the run's folder (never from the model).

``events.csv`` holds every engine call with its time, return and seller; from it come the
waits for authorization by path and seller plan, the pending backlog, the answers given after
``respond_by`` and the weekly flows. Like the KPIs (docs/scenarios.md, "Warm-up"), they count
what happened in the measured days; the warm-up's rows (dated before ``run.start``) only set
the backlog the year opens with. ``returns_report.tsv`` gives each request's SKU (hence its
category, by the catalog's numbering) and whether it was in policy; ``summary.json`` the KPIs;
``scenario.toml`` the scenario as run.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import chain
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from sim.reports.html.page import read_json
from sim.reports.html.settings import baseline_sha256, merged

SCENARIO_FILE = "scenario.toml"
THROUGHPUT = ("requests", "authorizations", "receipts", "closures")


@dataclass(frozen=True)
class Waits:
    """Hours from request to authorization on one path, with the seller's plan of each."""

    hours: np.ndarray
    plans: tuple[str, ...]


@dataclass(frozen=True)
class EventSeries:
    plans: tuple[str, ...]  # seller plans present, in first-registered order
    waits: Mapping[str, Waits]  # path (auto, manual, batch) -> waits
    pending: Mapping[str, np.ndarray]  # plan -> hourly samples of requests pending
    late_answers: Mapping[str, np.ndarray]  # plan -> day of each answer after respond_by
    daily: Mapping[str, np.ndarray]  # THROUGHPUT name -> count per day


@dataclass(frozen=True)
class RunData:
    folder: Path
    manifest: dict[str, Any]
    summary: dict[str, Any]
    scenario: dict[str, Any] | None  # the merged scenario tree, when the folder has it
    scenario_note: str  # where the scenario came from, or why it is missing
    start: date
    days: int
    respond_by_hours: int | None
    events: EventSeries
    by_category: Mapping[str, tuple[int, int]]  # category -> (in policy, out of policy)


def _epoch(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


_MM_SS = {f"{m:02d}:{s:02d}Z": 60 * m + s for m in range(60) for s in range(60)}


class _HourEpochs(dict[str, int]):
    """:func:`_epoch` of ``YYYY-MM-DDTHH:00:00Z``, by its first 14 characters: a timestamp of
    events.csv is its hour's epoch plus the seconds of its ``MM:SSZ`` ending (looked up in
    :data:`_MM_SS`), a fraction of the cost of parsing each one. (A text that parses is one
    whose hour does, so the same errors are raised.)"""

    def __missing__(self, hour: str) -> int:
        epoch = self[hour] = _epoch(hour + "00:00Z")
        return epoch


def csv_rows(handle: TextIO, delimiter: str = ",") -> Iterator[list[str]]:
    """The rows ``csv.reader(handle, delimiter=delimiter)`` gives, for ``handle`` opened with
    ``newline=""``: a line that the csv module would only split (no quote, no carriage return,
    no NUL, shorter than the field size limit) is split here, in about two thirds of the time;
    any other line, and the lines a quoted field runs on to, go to the csv module."""
    limit = csv.field_size_limit()
    lines = iter(handle)
    for line in lines:
        if (line[-1:] == "\n" and '"' not in line and "\r" not in line and "\0" not in line
                and len(line) <= limit):
            yield line[:-1].split(delimiter) if len(line) > 1 else []
        else:  # a row of its own reader, which reads on as far as the row goes
            yield next(csv.reader(chain([line], lines), delimiter=delimiter))


def _rows(reader: Iterator[list[str]], names: tuple[str, ...]
          ) -> tuple[Iterator[list[str]], list[int], int]:
    """The rows after the header, the index in them of each column of ``names``, and the
    header's width: what a ``csv.DictReader`` reads, without a dict per row. As with
    DictReader, a column missing from the header is a KeyError at the first row; a row
    shorter than the header is to be read with :func:`_padded`."""
    header = next(reader, [])
    index = {name: i for i, name in enumerate(header)}
    for first in reader:
        if first:
            return chain([first], reader), [index[name] for name in names], len(header)
    return iter(()), [0] * len(names), 0


def _padded(row: list[str], width: int) -> list[Any]:
    """A short row as DictReader reads it: None for each missing value. (DictReader skips a
    blank line: read_events does too, as a row of None is not ``ok``; read_categories
    skips it before padding.)"""
    return [*row, *[None] * (width - len(row))]


class EventSeriesBuilder:
    """The series of the page (the module's docstring says which rows count), from the rows
    of events.csv fed to it as they come, header first: a run's result writer feeds it the
    rows it writes while the run goes on, and :func:`read_events` the rows of the file, so
    the two are one computation.

    A row costs a few lookups: a cached hour's epoch (:class:`_HourEpochs`) rather than a
    dict and a datetime per row, and a day per event counted by one ``bincount`` per flow at
    the end."""

    def __init__(self, t0: int, days: int, respond_by_h: int | None) -> None:
        self.t0, self.days = t0, days
        self.respond_by_hours = respond_by_h
        self.respond_s = None if respond_by_h is None else respond_by_h * 3600
        self.columns: list[int] | None = None  # set by the header (the first row fed)
        self.width = 0
        self.plan_of: dict[str, str] = {}
        self.requested: dict[str, tuple[int, str]] = {}
        # by plan, the times the pending count steps and each step (+1, -1); by path, the
        # hours each request waited and its plan: kept as parallel lists, which numpy and
        # tuple() read in C when the series are made, not as a tuple per event (~25 ms
        # more of a year's writer, after the run)
        self.pending_at: dict[str, list[int]] = defaultdict(list)
        self.pending_step: dict[str, list[int]] = defaultdict(list)
        self.waits: dict[str, tuple[list[float], list[str]]] = {
            path: ([], []) for path in ("auto", "manual", "batch")}
        self.late: dict[str, list[int]] = defaultdict(list)
        self.days_of: dict[str, list[int]] = {name: [] for name in THROUGHPUT}  # day/event
        self.hour_epoch = _HourEpochs()
        self.missing: list[str] = []  # columns of the page the header lacks
        self._series: EventSeries | None = None  # of the rows fed so far, once asked for

    def feed(self, rows: Iterable[list[str]]) -> None:
        """Take the next rows (the header first, as ``csv.reader`` gives them). A column
        missing from the header is a KeyError at the first row after it, as with
        ``csv.DictReader``; a row shorter than the header reads as :func:`_padded`."""
        self._series = None
        rows = iter(rows)
        if self.columns is None:
            header = next(rows, None)
            if header is None:
                return
            index = {name: i for i, name in enumerate(header)}
            names = ("ok", "op", "seller_id", "detail", "at", "return_id", "status")
            self.columns = [index.get(name, -1) for name in names]
            self.width = len(header)
            self.missing = [n for n, i in zip(names, self.columns, strict=True) if i < 0]
        if self.missing:
            for row in rows:
                if row:  # the first row that is not blank: as DictReader, a KeyError
                    raise KeyError(self.missing[0])
            return
        i_ok, i_op, i_seller, i_detail, i_at, i_return, i_status = self.columns
        width, t0, horizon, respond_s = self.width, self.t0, self.days * 86_400, self.respond_s
        plan_of, requested, hour_epoch = self.plan_of, self.requested, self.hour_epoch
        pending_at, pending_step = self.pending_at, self.pending_step
        waits, late = self.waits, self.late
        auto_hours, auto_plans = waits["auto"]
        requests, authorizations = self.days_of["requests"], self.days_of["authorizations"]
        flows = {"receive": self.days_of["receipts"], "close": self.days_of["closures"],
                 "authorize": authorizations, "authorize_batch": authorizations}
        skipped = ("set_policy", "place_order", "reply")
        for row in rows:
            if len(row) < width:
                row = _padded(row, width)
            if row[i_ok] != "true":
                continue
            op = row[i_op]
            if op == "register_seller":
                plan_of[row[i_seller]] = row[i_detail]
                continue
            if op in skipped:
                continue
            stamp = row[i_at]
            sec = _MM_SS.get(stamp[14:])
            t = (_epoch(stamp) if sec is None else hour_epoch[stamp[:14]] + sec) - t0
            measured = 0 <= t < horizon  # the warm-up's rows come before run.start
            rid = row[i_return]
            if op == "request_return":
                plan = plan_of.get(row[i_seller], "unknown")
                went_pending = row[i_status] == "pending_authorization"
                if went_pending:
                    requested[rid] = (t, plan)
                    pending_at[plan].append(t)
                    pending_step[plan].append(1)
                if measured:
                    requests.append(t // 86_400)
                    if not went_pending:
                        auto_hours.append(0.0)
                        auto_plans.append(plan)
                        authorizations.append(t // 86_400)
                continue
            if measured and op in flows:
                flows[op].append(t // 86_400)
            if op == "receive":
                continue
            asked = requested.pop(rid, None)
            if asked is None:
                continue
            since, plan = asked
            pending_at[plan].append(t)
            pending_step[plan].append(-1)
            if not measured:
                continue
            if op != "close":
                path_name = "batch" if op == "authorize_batch" else "manual"
                hours, plans = waits[path_name]
                hours.append((t - since) / 3600)
                plans.append(plan)
            if respond_s is not None and t > since + respond_s:
                late[plan].append(t // 86_400)

    def made_for(self, t0: int, days: int, respond_by_h: int | None) -> bool:
        """Whether the builder counts for these parameters of the page."""
        return (self.t0, self.days, self.respond_by_hours) == (t0, days, respond_by_h)

    def series(self) -> EventSeries:
        """The series of the rows fed so far (the same object until more rows are fed)."""
        if self._series is None:
            self._series = self._made()
        return self._series

    def _made(self) -> EventSeries:
        days = self.days
        daily = {name: np.bincount(np.asarray(d, dtype=np.int64), minlength=days)
                 for name, d in self.days_of.items()}
        plans = tuple(dict.fromkeys(self.plan_of.values()))
        hours = np.arange(days * 24, dtype=np.int64) * 3600
        pending = {}
        for plan in plans:
            times = np.asarray(self.pending_at.get(plan, []), dtype=np.int64)
            level = np.cumsum(np.asarray(self.pending_step.get(plan, []), dtype=np.int64))
            at = np.searchsorted(times, hours, side="right")
            pending[plan] = np.where(at > 0, level[np.maximum(at - 1, 0)] if level.size else 0,
                                     0)
        return EventSeries(
            plans=plans,
            waits={k: Waits(np.asarray(hours, dtype=float), tuple(plans))
                   for k, (hours, plans) in self.waits.items()},
            pending=pending,
            late_answers={p: np.asarray(self.late.get(p, []), dtype=np.int64) for p in plans},
            daily=daily,
        )


def read_events(path: Path, t0: int, days: int, respond_by_h: int | None) -> EventSeries:
    """The series of the page, from events.csv, read by :func:`csv_rows`."""
    builder = EventSeriesBuilder(t0, days, respond_by_h)
    with path.open(newline="", encoding="utf-8") as handle:
        builder.feed(csv_rows(handle))
    return builder.series()


def sku_categories(scenario: Mapping[str, Any]) -> list[tuple[int, str]]:
    """(first SKU number, category) in catalog order: SKUs are numbered category by category,
    in the scenario's order, each category taking its ``skus`` numbers."""
    starts, first = [], 0
    for name, spec in scenario["categories"].items():
        starts.append((first, name))
        first += int(spec["skus"])
    return starts


def categories(numbers: Iterable[int], in_policy: Iterable[bool],
               scenario: Mapping[str, Any]) -> dict[str, tuple[int, int]]:
    """Requests in and out of policy by category, from each request's SKU number and whether
    it was in policy: every SKU placed in one ``searchsorted``."""
    starts = sku_categories(scenario)
    bounds = np.asarray([s for s, _ in starts])
    at = np.searchsorted(bounds, np.fromiter(numbers, dtype=np.int64), side="right") - 1
    counts: Counter[tuple[str, bool]] = Counter(
        zip([starts[i][1] for i in at.tolist()], in_policy, strict=True))
    return {name: (counts[(name, True)], counts[(name, False)]) for _, name in starts}


def read_categories(path: Path, scenario: Mapping[str, Any] | None) -> dict[str, tuple[int, int]]:
    """:func:`categories` of the requests of returns_report.tsv: the two columns read by
    :func:`_rows` (not a dict per row)."""
    if scenario is None:
        return {}
    numbers: list[int] = []
    in_policy: list[bool] = []
    with path.open(newline="", encoding="utf-8") as handle:
        rows, (i_sku, i_policy), width = _rows(csv_rows(handle, delimiter="\t"),
                                               ("Merchant SKU", "In policy"))
        for row in rows:
            if len(row) < width:
                if not row:
                    continue  # a blank line, which DictReader skips
                row = _padded(row, width)
            numbers.append(sku_number(row[i_sku]))
            in_policy.append(row[i_policy] == "Y")
    return categories(numbers, in_policy, scenario)


def sku_number(sku: str) -> int:
    """The catalog number of a SKU (the catalog names SKUs ``...-<number>``)."""
    return int(sku.rsplit("-", 1)[1])


def respond_by_hours(scenario: Mapping[str, Any] | None) -> int | None:
    """The hours a seller has to answer a pending request, as the page reads them from the
    merged scenario (none without a scenario)."""
    return None if scenario is None else int(scenario["policy"]["manual_response_hours"])


def read_scenario(folder: Path, manifest: Mapping[str, Any]) -> tuple[dict[str, Any] | None, str]:
    path = folder / SCENARIO_FILE
    if not path.is_file():
        return None, f"this folder has no {SCENARIO_FILE} (written by runs of this version on)"
    try:
        tree = merged(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as exc:
        return None, f"{SCENARIO_FILE} cannot be read as a scenario: {exc}"
    note = f"{SCENARIO_FILE} ({manifest.get('scenario', {}).get('source', 'source unknown')})"
    if manifest.get("scenario", {}).get("baseline_sha256") not in (None, baseline_sha256()):
        note += ("; the bundled baseline has changed since this run: the differences are "
                 "against today's baseline")
    return tree, note


@dataclass(frozen=True)
class KnownRunData:
    """What a run's writer holds in memory of the files it writes (the manifest and summary
    as written, the series built from the rows it wrote to events.csv, and each report row's
    SKU number and whether it was in policy): :func:`read_run` takes them instead of reading
    the files again, and computes the same page from them."""

    manifest: dict[str, Any]
    summary: dict[str, Any]
    events: EventSeriesBuilder
    sku_numbers: Iterable[int]
    in_policy: Iterable[bool]


def events_only(folder: Path, scenario_name: str, seed: int, start: date, days: int,
                respond_by_hours: int | None, events: EventSeries) -> RunData:
    """The run's data as far as the plots of its events read it (its name and seed, dates,
    respond_by and event series; no manifest, KPIs, scenario or categories): a run's writer
    draws those plots with it before the KPIs are known, and keeps them if the page's
    :func:`read_run` gives the same."""
    return RunData(folder=folder, manifest={}, summary={"scenario": scenario_name, "seed": seed},
                   scenario=None, scenario_note="", start=start, days=days,
                   respond_by_hours=respond_by_hours, events=events, by_category={})


def read_run(folder: Path, known: KnownRunData | None = None) -> RunData:
    """The page's data of the run folder ``folder``, from its files, or from ``known`` where
    it is given. (Known series built for other parameters than the files say, which no run
    writes, are not used: the rows are read again from events.csv.)"""
    manifest = known.manifest if known else read_json(folder / "manifest.json")
    summary = known.summary if known else read_json(folder / "summary.json")
    scenario, note = read_scenario(folder, manifest)
    start = date.fromisoformat(summary["start"])
    days = int(summary["days"])
    t0 = int(datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp())
    respond = respond_by_hours(scenario)
    if known and known.events.made_for(t0, days, respond):
        events = known.events.series()
    else:
        events = read_events(folder / "events.csv", t0, days, respond)
    if known is None:
        by_category = read_categories(folder / "returns_report.tsv", scenario)
    else:
        by_category = {} if scenario is None else categories(known.sku_numbers,
                                                             known.in_policy, scenario)
    return RunData(
        folder=folder,
        manifest=manifest,
        summary=summary,
        scenario=scenario,
        scenario_note=note,
        start=start,
        days=days,
        respond_by_hours=respond,
        events=events,
        by_category=by_category,
    )
