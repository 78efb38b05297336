"""The KPIs of ``summary.json``, each defined in docs/results.md.

Floats are rounded to fixed places (shares 6, hours and days 3, money 2) so the same run
always prints the same bytes and small float noise never shows as a difference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import numpy as np

from sim.domain import DAY, HOUR, CloseReason, LabelType, Mode, Payer, Status
from sim.results import RunOutput


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


def summarize(out: RunOutput) -> dict[str, Any]:
    records = list(out.records.values())
    tally = out.tally
    cats = out.population.categories
    n = len(records)
    start = date(1970, 1, 1) + timedelta(days=out.t0 // DAY)

    requests_by_cat = Counter(r.category for r in records)
    by_category = {
        c: {
            "orders": int(out.orders_by_category[i]),
            "return_requests": requests_by_cat.get(c, 0),
            "return_rate": share(requests_by_cat.get(c, 0), int(out.orders_by_category[i])),
        }
        for i, c in enumerate(cats)
    }
    authorized = [r for r in records if r.authorized_at is not None]
    labels = Counter(r.label.type.value for r in authorized if r.label is not None)
    costs: dict[str, list[float]] = {Payer.SELLER.value: [], Payer.CUSTOMER.value: []}
    shipped = 0
    for r in authorized:
        extra = tally.extras[r.return_id]
        if extra.shipped:
            shipped += 1
            if extra.label_cost is not None and r.label is not None:
                costs[r.label.paid_by.value].append(extra.label_cost)
    closures = Counter(r.close_reason.value for r in records if r.close_reason is not None)
    still_open = Counter(r.status.value for r in records if r.status is not Status.CLOSED)
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
        "share_in_policy": share(sum(r.in_policy for r in records), n),
        "share_auto_authorized": share(sum(r.authorization is Mode.AUTO for r in records), n),
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
            t.value: {"count": labels.get(t.value, 0), "share": share(labels.get(t.value, 0),
                                                                      len(authorized))}
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
        "share_shipped_back": share(shipped, len(authorized)),
        "request_to_receipt_days": spread(tally.receipt_waits, DAY),
        "closures": {c.value: closures.get(c.value, 0) for c in CloseReason},
        "open_at_horizon": {
            s.value: still_open.get(s.value, 0) for s in Status if s is not Status.CLOSED
        },
        "packages_after_close": tally.late_packages,
        "peak_authorizations_per_day": {
            "count": int(daily_auth[peak_day]) if daily_auth.size else 0,
            "date": (start + timedelta(days=peak_day)).isoformat(),
        },
        "engine_calls": calls,
    }


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
