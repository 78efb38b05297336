"""What each KPI of ``summary.json`` means, in one place: the run page shows it on hover.

The texts are docs/results.md's, word for word without the Markdown (a test keeps the two
equal), keyed by the KPI's top-level key in ``summary.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.reports.kpis import KEY_ROWS

DEFINITIONS: dict[str, str] = {
    "scenario": "what was run (implementation from the engine's hello)",
    "orders": "every order placed in the horizon, returned or not",
    "return_requests": "requests accepted by the engine",
    "return_rate": "return_requests / orders",
    "by_category": "orders, return_requests and return_rate of category c",
    "share_in_policy": "share of requests with in_policy true (not past the window, "
    "not non-returnable)",
    "share_auto_authorized": "share of requests the engine authorized at once "
    "(authorization = \"auto\")",
    "time_to_authorization_hours": "for each path (auto, manual, batch): count of requests "
    "authorized on that path, and mean, p50, p90, p99 of hours from request to authorization "
    "(auto is 0 by rule; linear-interpolated percentiles; null when count is 0)",
    "manual_answered": "pending requests answered (authorized or declined) by a reviewer or "
    "a batch",
    "manual_answered_after_respond_by": "of those, answered after request + "
    "manual_response_hours (the engine's respond_by)",
    "share_manual_answered_after_respond_by": "the ratio of the two",
    "pending_backlog": "requests pending authorization: the maximum, and the time-weighted "
    "mean over the horizon",
    "reviewer_utilization": "reviewing time / working time of the reviewers of the sellers who "
    "reviewed at least one request by hand (reviewers x working seconds in the horizon)",
    "labels": "count and share of authorized returns by label type (amazon_prepaid, "
    "amazon_unpaid, seller_prepaid)",
    "label_cost_by_payer": "labels used (the buyer shipped within the horizon) by who pays "
    "(seller, customer): labels, total and mean cost in USD, drawn from the category's label "
    "cost band",
    "share_shipped_back": "authorized returns whose buyer handed the parcel to the carrier "
    "within the horizon / authorized returns",
    "request_to_receipt_days": "count, mean, p50, p90, p99 of days from request to receipt, "
    "over received returns",
    "closures": "returns closed as declined, not_returned, completed",
    "open_at_horizon": "returns still pending_authorization, authorized or received when the "
    "run stopped",
    "packages_after_close": "parcels that arrived after their request was closed (refused "
    "receive)",
    "peak_authorizations_per_day": "the most authorizations (all paths) on one day, and that "
    "date (UTC)",
    "by_plan": "for sellers of each plan (individual, professional): return_requests; "
    "share_pending (requests that went pending authorization: a seller had to answer); "
    "pending_to_authorization_hours (count, mean, p50, p90, p99 of hours from request to "
    "authorization of those pending requests the seller authorized); manual_answered, "
    "manual_answered_after_respond_by and their ratio share_manual_answered_after_respond_by; "
    "pending_backlog_mean (time-weighted mean of their requests pending over the horizon; the "
    "plans' means add up to pending_backlog.mean); declined (closed as declined)",
    "engine_calls": "engine calls by op and outcome (ok or the error code), as counted in "
    "events.csv",
}
# The identity keys share the first entry's text.
for _key in ("seed", "start", "days", "implementation"):
    DEFINITIONS[_key] = DEFINITIONS["scenario"]


def definition(path: str) -> str:
    """The definition of a dotted ``summary.json`` path (``pending_backlog.max``...)."""
    return DEFINITIONS.get(path.split(".", 1)[0], "")


@dataclass(frozen=True)
class KpiRow:
    label: str
    value: str
    key: str  # the dotted summary.json path(s), as the tooltip's heading
    definition: str


def _lookup(summary: dict[str, Any], path: str) -> Any:
    value: Any = summary
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _show(value: Any, key: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and any(w in key for w in ("share", "rate", "utilization")):
        return f"{value:.1%}"
    if isinstance(value, int | float):
        return f"{value:,.3g}" if isinstance(value, float) and abs(value) < 1000 else f"{value:,}"
    return str(value)


def kpi_rows(summary: dict[str, Any]) -> list[KpiRow]:
    """The main KPIs (the terminal table's rows), each with its definition."""
    rows = []
    for label, paths in KEY_ROWS:
        keys = paths.split("|")
        texts = dict.fromkeys(definition(k) for k in keys)
        rows.append(KpiRow(
            label=label,
            value=" / ".join(_show(_lookup(summary, k), k) for k in keys),
            key=", ".join(keys),
            definition=" ".join(t for t in texts if t),
        ))
    return rows
