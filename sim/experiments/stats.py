"""Means, 95% intervals and paired differences over replications, with SciPy.

Each KPI of each scenario gets its mean and a t-based 95% interval over the replications that
have a value. Each scenario other than the base gets, per KPI, the mean of its difference from
the base replication by replication (the pairs share their random streams: common random
numbers) and the paired-t 95% interval of that difference; the difference is *beyond noise*
when its interval excludes zero. Fewer than two values give no interval (None), never a fake
one; a KPI that did not vary has its point as interval.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from sim.experiments.replicate import ReplicationResult

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Interval:
    n: int
    mean: float | None
    sd: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Row:
    """One line of ``comparison.csv``: a KPI of a scenario, and its difference from the base
    (the ``diff_*`` fields are None on the base's rows)."""

    scenario: str
    kpi: str
    n: int
    mean: float | None
    sd: float | None
    ci_low: float | None
    ci_high: float | None
    diff_n: int | None
    diff_mean: float | None
    diff_ci_low: float | None
    diff_ci_high: float | None
    diff_pct: float | None
    beyond_noise: bool | None


def interval(values: Sequence[float]) -> Interval:
    """Mean and 95% t interval of ``values`` (None where fewer than two)."""
    x = np.asarray(values, dtype=float)
    n = int(x.size)
    if n == 0:
        return Interval(0, None, None, None, None)
    mean = float(x.mean())
    if n < 2:
        return Interval(n, mean, None, None, None)
    sd = float(x.std(ddof=1))
    if sd == 0.0 or not math.isfinite(sd):
        return Interval(n, mean, 0.0, mean, mean)
    ci = stats.ttest_1samp(x, 0.0).confidence_interval(CONFIDENCE)
    return Interval(n, mean, sd, float(ci.low), float(ci.high))


def paired(values: Sequence[float], base: Sequence[float]) -> Interval:
    """Mean of ``values - base`` pair by pair, with its paired-t 95% interval."""
    x, b = np.asarray(values, dtype=float), np.asarray(base, dtype=float)
    d = x - b
    n = int(d.size)
    if n < 2 or float(d.std(ddof=1)) == 0.0:
        return interval(d)
    ci = stats.ttest_rel(x, b).confidence_interval(CONFIDENCE)
    mean = float(d.mean())
    return Interval(n, mean, float(d.std(ddof=1)), float(ci.low), float(ci.high))


def kpi_names(results: Sequence[ReplicationResult]) -> list[str]:
    """KPI names in the order of the first successful replication, then any new ones."""
    names: dict[str, None] = {}
    for r in results:
        for name, _ in r.kpis:
            names.setdefault(name, None)
    return list(names)


def _values(results: Sequence[ReplicationResult], kpi: str) -> dict[int, float]:
    out: dict[int, float] = {}
    for r in results:
        if r.ok:
            v = r.kpi_map().get(kpi)
            if v is not None and math.isfinite(v):
                out[r.replication] = v
    return out


def compare_rows(by_scenario: dict[str, list[ReplicationResult]], base: str,
                 kpis: Sequence[str]) -> list[Row]:
    """The comparison table: scenarios in the given order (the base first), KPIs in order."""
    rows: list[Row] = []
    base_values = {k: _values(by_scenario[base], k) for k in kpis}
    for scenario, results in by_scenario.items():
        for kpi in kpis:
            mine = _values(results, kpi)
            m = interval([mine[r] for r in sorted(mine)])
            if scenario == base:
                rows.append(Row(scenario, kpi, m.n, m.mean, m.sd, m.low, m.high,
                                None, None, None, None, None, None))
                continue
            theirs = base_values[kpi]
            pairs = sorted(set(mine) & set(theirs))
            d = paired([mine[r] for r in pairs], [theirs[r] for r in pairs])
            base_mean = float(np.mean([theirs[r] for r in pairs])) if pairs else None
            pct = (100.0 * d.mean / base_mean
                   if d.mean is not None and base_mean not in (None, 0.0) else None)
            beyond = (None if d.low is None or d.high is None
                      else bool(d.low > 0.0 or d.high < 0.0))
            rows.append(Row(scenario, kpi, m.n, m.mean, m.sd, m.low, m.high,
                            d.n, d.mean, d.low, d.high, pct, beyond))
    return rows


def replications_for(half_width: float, sd: float, confidence: float = CONFIDENCE) -> int:
    """Replications needed for an interval of +/- ``half_width`` when the spread (of a KPI,
    or of a paired difference) is ``sd``: the smallest n with t(n-1) * sd / sqrt(n) <= it."""
    if half_width <= 0:
        raise ValueError(f"half_width: must be greater than 0, got {half_width}")
    if sd <= 0:
        return 2
    n = 2
    while stats.t.ppf(0.5 + confidence / 2, n - 1) * sd / math.sqrt(n) > half_width:
        n += 1
        if n > 1_000_000:
            break
    return n


# The KPIs the terminal table and the plots show (every KPI is in the files), with labels.
HEADLINE: tuple[tuple[str, str], ...] = (
    ("return_requests", "return requests"),
    ("share_in_policy", "share in policy"),
    ("share_auto_authorized", "share auto-authorized"),
    ("time_to_authorization_hours.manual.p90", "manual: hours to authorize (p90)"),
    ("time_to_authorization_hours.batch.p90", "batch: hours to authorize (p90)"),
    ("share_manual_answered_after_respond_by", "share answered after respond_by"),
    ("pending_backlog.mean", "pending backlog (mean)"),
    ("pending_backlog.max", "pending backlog (max)"),
    ("reviewer_utilization", "reviewer utilization"),
    ("by_plan.individual.pending_to_authorization_hours.p90",
     "individual sellers: hours to authorize a pending request (p90)"),
    ("by_plan.individual.pending_backlog_mean", "individual sellers: pending backlog (mean)"),
    ("closures.declined", "declined"),
    ("share_shipped_back", "share shipped back"),
    ("request_to_receipt_days.p50", "request to receipt, days (p50)"),
    ("label_cost_by_payer.seller.total", "label cost paid by sellers (USD)"),
    ("packages_after_close", "packages after close"),
)
