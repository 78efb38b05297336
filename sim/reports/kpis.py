"""The KPIs of ``summary.json``, each defined in docs/results.md.

Floats are rounded to fixed places (shares 6, hours and days 3, money 2) so the same run
always prints the same bytes and small float noise never shows as a difference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from sim.core.values import (
    DAY,
    HOUR,
    CloseReason,
    LabelType,
    Mode,
    Payer,
    Plan,
    ReturnRecord,
    Status,
)
from sim.model.output import ReturnExtra, RunOutput


def share(part: float, whole: float) -> float:
    return round(part / whole, 6) if whole else 0.0


def spread(values: Iterable[float], scale: float, places: int = 3) -> dict[str, Any]:
    """count, mean and the p50/p90/p99 of ``values / scale``."""
    arr = np.asarray(list(values), dtype=float) / scale
    if arr.size == 0:
        return {"count": 0, "mean": None, "p50": None, "p90": None, "p99": None}
    p50, p90, p99 = np.percentile(arr, [50, 90, 99])
    return {
        "count": int(arr.size),
        "mean": round(float(arr.mean()), places),
        "p50": round(float(p50), places),
        "p90": round(float(p90), places),
        "p99": round(float(p99), places),
    }


@dataclass
class _PlanCounts:
    """What :func:`by_plan` counts of one plan's returns (in record order)."""

    requests: int = 0
    pending: int = 0  # went pending authorization
    answered: int = 0  # pending, and answered
    late: int = 0  # answered after respond_by
    declined: int = 0
    waits: list[int] = field(default_factory=list)  # pending, then authorized: seconds


@dataclass
class _Counts:
    """What the summary counts over the final records, gathered in one pass."""

    requests_by_cat: Counter[str] = field(default_factory=Counter)
    in_policy: int = 0
    auto: int = 0
    authorized: int = 0
    labels: Counter[LabelType] = field(default_factory=Counter)  # of authorized returns
    shipped: int = 0  # authorized returns the buyer shipped
    costs: dict[str, list[float]] = field(  # costs of labels used, by payer, in record order
        default_factory=lambda: {Payer.SELLER.value: [], Payer.CUSTOMER.value: []}
    )
    closures: Counter[CloseReason] = field(default_factory=Counter)
    still_open: Counter[Status] = field(default_factory=Counter)
    plans: dict[str, _PlanCounts] = field(  # by the seller's plan
        default_factory=lambda: {p.value: _PlanCounts() for p in Plan}
    )


@dataclass
class Requests:
    """Each request's SKU and whether it was in policy, in record order: what a run's page
    counts by category (:func:`sim.reports.html.run_data.categories`), noted by
    :func:`summarize` as it reads the records anyway (a pass of its own over a year's
    records, scattered in memory, cost the run's process ~60 ms)."""

    skus: list[str] = field(default_factory=list)
    in_policy: list[bool] = field(default_factory=list)


def _count(records: Mapping[str, ReturnRecord], extras: Mapping[str, ReturnExtra],
           noted: Requests | None = None) -> _Counts:
    """One pass over the records and their extras (a baseline year has ~80k of each), noting
    each request's SKU and policy in ``noted`` if given.

    One pass, because reading a record costs a trip to memory or two (a year's records are
    spread over a few hundred megabytes): a pass per KPI, or one here and another for
    :func:`by_plan`, took several times as long. StrEnum members are their values as keys
    (``costs`` is keyed by the payer's value)."""
    c = _Counts()
    note_sku = note_policy = None
    if noted is not None:
        note_sku, note_policy = noted.skus.append, noted.in_policy.append
    closed, auto, declined = Status.CLOSED, Mode.AUTO, CloseReason.DECLINED
    by_cat, labels, costs = c.requests_by_cat, c.labels, c.costs
    closures, still_open, plans = c.closures, c.still_open, c.plans
    in_policy = n_auto = authorized = shipped = 0
    for rid, r in records.items():
        extra = extras[rid]
        plan = plans.get(extra.plan)
        if plan is None:
            plan = plans[extra.plan] = _PlanCounts()
        plan.requests += 1
        if extra.pending:
            plan.pending += 1
            if extra.answered >= 0:
                plan.answered += 1
                if extra.late:
                    plan.late += 1
            if extra.authorized_wait >= 0:
                plan.waits.append(extra.authorized_wait)
        by_cat[r.category] += 1
        inside = r.in_policy
        if note_sku is not None and note_policy is not None:
            note_sku(r.sku)
            note_policy(inside)
        if inside:
            in_policy += 1
        if r.authorization is auto:
            n_auto += 1
        reason = r.close_reason
        if reason is not None:
            closures[reason] += 1
            if reason is declined:
                plan.declined += 1
        if r.status is not closed:
            still_open[r.status] += 1
        if r.authorized_at is None:
            continue
        authorized += 1
        label = r.label
        if label is not None:
            labels[label.type] += 1
        if extra.shipped:
            shipped += 1
            if extra.label_cost is not None and label is not None:
                costs[label.paid_by].append(extra.label_cost)
    c.in_policy, c.auto, c.authorized, c.shipped = in_policy, n_auto, authorized, shipped
    return c


def summarize(out: RunOutput, noted: Requests | None = None) -> dict[str, Any]:
    """The KPIs of ``out`` (``summary.json``); ``noted``, if given, gets each request's SKU
    and policy (:class:`Requests`)."""
    tally = out.tally
    cats = out.catalog.categories
    n = len(out.records)
    start = date(1970, 1, 1) + timedelta(days=out.start // DAY)

    c = _count(out.records, tally.extras, noted)
    by_category = {
        cat: {
            "orders": int(out.orders_by_category[i]),
            "return_requests": c.requests_by_cat.get(cat, 0),
            "return_rate": share(c.requests_by_cat.get(cat, 0), int(out.orders_by_category[i])),
        }
        for i, cat in enumerate(cats)
    }
    labels, costs, authorized = c.labels, c.costs, c.authorized
    daily_auth = tally.daily_array("authorizations")
    peak_day = int(np.argmax(daily_auth)) if daily_auth.size else 0
    calls: dict[str, dict[str, int]] = {}
    for (op, outcome), count in sorted(out.event_counts.items()):
        calls.setdefault(op, {})[outcome] = count

    return {
        "scenario": out.scenario_name,
        "seed": out.seed,
        "start": start.isoformat(),
        "days": out.days,
        "implementation": out.implementation,
        "orders": out.orders,
        "return_requests": n,
        "return_rate": share(n, out.orders),
        "by_category": by_category,
        "share_in_policy": share(c.in_policy, n),
        "share_auto_authorized": share(c.auto, n),
        "time_to_authorization_hours": {
            path: spread(waits, HOUR) for path, waits in tally.waits.items()
        },
        "manual_answered": tally.manual_answered,
        "manual_answered_after_respond_by": tally.late_answers,
        "share_manual_answered_after_respond_by": share(tally.late_answers, tally.manual_answered),
        "pending_backlog": {
            "max": tally.pending_max,
            "mean": round(tally.mean_backlog, 3),
        },
        "reviewer_utilization": share(tally.busy_s, out.reviewer_capacity_s),
        "labels": {
            t.value: {"count": labels.get(t, 0), "share": share(labels.get(t, 0), authorized)}
            for t in LabelType
        },
        "label_cost_by_payer": {
            payer: {
                "labels": len(values),
                "total": round(float(sum(values)), 2),
                "mean": round(float(np.mean(values)), 2) if values else None,
            }
            for payer, values in costs.items()
        },
        "share_shipped_back": share(c.shipped, authorized),
        "request_to_receipt_days": spread(tally.receipt_waits, DAY),
        "closures": {reason.value: c.closures.get(reason, 0) for reason in CloseReason},
        "open_at_horizon": {
            s.value: c.still_open.get(s, 0) for s in Status if s is not Status.CLOSED
        },
        "packages_after_close": tally.late_packages,
        "peak_authorizations_per_day": {
            "count": int(daily_auth[peak_day]) if daily_auth.size else 0,
            "date": (start + timedelta(days=peak_day)).isoformat(),
        },
        "by_plan": by_plan(out, c.plans),
        "engine_calls": calls,
    }


def by_plan(out: RunOutput, plans: Mapping[str, _PlanCounts]) -> dict[str, dict[str, Any]]:
    """The workload KPIs by the seller's plan (docs/results.md): individual sellers answer
    most requests by hand, professional ones mostly automatically, so totals hide who waits.
    ``plans``: what :func:`_count` counted of the measured returns."""
    horizon, since = out.horizon, out.measure_from
    # time pending inside the measured days, of every request (a warm-up's too): the queue
    pending_s: Counter[str] = Counter()
    for e in out.tally.extras.values():
        if e.pending:
            end = e.answered if e.answered >= 0 else horizon
            pending_s[e.plan] += max(0, end - max(e.requested, since))
    result: dict[str, dict[str, Any]] = {}
    for plan in sorted(plans):
        p = plans[plan]
        result[plan] = {
            "return_requests": p.requests,
            "share_pending": share(p.pending, p.requests),
            "pending_to_authorization_hours": spread(p.waits, HOUR),
            "manual_answered": p.answered,
            "manual_answered_after_respond_by": p.late,
            "share_manual_answered_after_respond_by": share(p.late, p.answered),
            "pending_backlog_mean": round(pending_s.get(plan, 0) / (horizon - since), 3)
            if horizon > since else 0.0,
            "declined": p.declined,
        }
    return result


KEY_ROWS: tuple[tuple[str, str], ...] = (
    ("orders", "orders"),
    ("return requests", "return_requests"),
    ("return rate", "return_rate"),
    ("share in policy", "share_in_policy"),
    ("share auto-authorized", "share_auto_authorized"),
    ("manual: hours to authorize (p90)", "time_to_authorization_hours.manual.p90"),
    ("batch: hours to authorize (p90)", "time_to_authorization_hours.batch.p90"),
    ("manual answered after respond_by", "manual_answered_after_respond_by"),
    ("pending backlog max / mean", "pending_backlog.max|pending_backlog.mean"),
    ("reviewer utilization", "reviewer_utilization"),
    ("share shipped back", "share_shipped_back"),
    ("request to receipt, days (p50)", "request_to_receipt_days.p50"),
    ("closed: completed / not returned / declined",
     "closures.completed|closures.not_returned|closures.declined"),
    ("packages after close", "packages_after_close"),
    ("peak authorizations per day", "peak_authorizations_per_day.count"),
)


def _lookup(summary: dict[str, Any], path: str) -> Any:
    value: Any = summary
    for part in path.split("."):
        value = value[part]
    return value


def table(summary: dict[str, Any]) -> str:
    """The terminal table of the main KPIs."""
    rows = [
        (label, " / ".join(str(_lookup(summary, p)) for p in paths.split("|")))
        for label, paths in KEY_ROWS
    ]
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"  {label.ljust(width)}  {value}" for label, value in rows)
