"""From stitched report rows and order counts to estimates, each with its interval and basis.

Per category where the data allow (at least :data:`MIN_ROWS` returns), pooled over the thin
categories otherwise, and every estimate says which. Quantities the report does not hold (the
delivery lag, carrier transit, return windows) are the base scenario's, so the estimates read
on top of it. Time limits (see docs/calibration.md): the request delay uses only order cohorts
whose return window has closed before the report's last request date, the shipping figures
only requests at least :data:`SETTLE_DAYS` old.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from sim.calibration.categories import UNMAPPED
from sim.calibration.fitting import (
    LEVEL,
    DelayFit,
    KnownPart,
    Share,
    fit_delay,
    known_part,
    mix,
    seen_share,
    share,
)
from sim.calibration.orders import OrderCounts
from sim.calibration.reading import Reports, ReturnRow
from sim.model.scenario_spec import Scenario

MIN_ROWS = 50
"""Returns a category needs for its own rate and reason mix; thinner ones are pooled."""

SETTLE_DAYS = 30
"""Days after a request by which the buyer has shipped and the parcel arrived, if ever."""

ALL = "(all)"
"""The one group when no SKU map is given."""

LABEL_KNOBS = {"AmazonPrePaidLabel": "amazon_prepaid", "AmazonUnPaidLabel": "amazon_unpaid",
               "SellerPrePaidLabel": "seller_prepaid"}


@dataclass(frozen=True)
class CategoryEstimate:
    """One category's figures; ``basis`` says whether they are its own or pooled."""

    name: str
    rows: int
    in_base: bool
    rate: Share | None
    rate_basis: str
    reasons: Mapping[str, Share]
    reasons_basis: str
    in_policy: Share | None


@dataclass(frozen=True)
class Calibration:
    reports: Reports
    orders: OrderCounts
    level: float
    categories: Mapping[str, CategoryEstimate]
    overall_rate: Share | None
    delay: DelayFit | None
    delay_basis: str
    ship_delay: DelayFit | None
    ship_basis: str
    ship_back: Mapping[str, Share]
    labels: Mapping[str, Share]
    payers: Mapping[str, Share]
    in_policy: Share | None
    scaled_rates: Mapping[str, float]  # base rates scaled to the overall rate (no orders by cat)
    notes: tuple[str, ...] = field(default=())


def _window(s: Scenario, category: str) -> int:
    p = s.policy
    return p.category_window_days.get(category, p.default_window_days)


def _parts(
    s: Scenario, names: set[str]
) -> tuple[dict[str, int], list[KnownPart], dict[str, float]]:
    """The known part (time of day + delivery lag) of each category's order-to-request gap,
    and the latest delivery day of each; categories the base lacks get the base's mix."""
    index: dict[str, int] = {}
    parts: list[KnownPart] = []
    latest: dict[str, float] = {}
    mixed = [(c.share or 1e-9, c.delivery_days.low, c.delivery_days.high)
             for c in s.categories.values()]
    for name in sorted(names):
        spec = s.categories.get(name)
        bands = [(1.0, spec.delivery_days.low, spec.delivery_days.high)] if spec else mixed
        index[name] = len(parts)
        parts.append(known_part(bands))
        latest[name] = max(b[2] for b in bands)
    return index, parts, latest


def categorize(rows: tuple[ReturnRow, ...], sku_map: Mapping[str, str] | None) -> list[str]:
    if sku_map is None:
        return [ALL] * len(rows)
    return [sku_map.get(r.sku or "", UNMAPPED) for r in rows]


def estimate(reports: Reports, orders: OrderCounts, sku_map: Mapping[str, str] | None,
             base: Scenario, level: float = LEVEL) -> Calibration:
    rows = reports.rows
    cats = categorize(rows, sku_map)
    first, last = reports.first_request, reports.last_request
    notes: list[str] = []
    index, parts, latest = _parts(base, set(cats) | set(orders.categories()))

    delay, delay_basis = _request_delay(rows, cats, base, index, parts, latest, first, last,
                                        level)
    if delay is None:
        notes.append("too few closed order cohorts to fit the request delay: return rates are "
                     "not corrected for requests after the report's end")
    rates, overall, scaled = _rates(rows, cats, orders, base, index, parts, delay, first, last,
                                    level, notes)
    by_cat: dict[str, list[ReturnRow]] = {}
    for r, c in zip(rows, cats, strict=True):
        by_cat.setdefault(c, []).append(r)
    reasons = _reasons(by_cat, level)
    estimates = {}
    for name in sorted(by_cat, key=lambda c: (-len(by_cat[c]), c)):
        group = by_cat[name]
        flags = [r.in_policy for r in group if r.in_policy is not None]
        rate, rate_basis = rates.get(name, (None, "no orders given for this category"))
        mix_, mix_basis = reasons[name]
        estimates[name] = CategoryEstimate(
            name, len(group), name in base.categories, rate, rate_basis, mix_, mix_basis,
            share(sum(flags), len(flags), level) if flags else None,
        )
    if sku_map is not None and UNMAPPED in by_cat:
        skus = {r.sku for r in by_cat[UNMAPPED]}
        notes.append(f"{len(by_cat[UNMAPPED])} rows ({len(skus)} SKUs) have SKUs the map lacks: "
                     "counted apart, in the pooled figures only")
    outside = sorted(c for c in by_cat if c not in base.categories and c not in (ALL, UNMAPPED))
    if outside:
        notes.append(f"categories the base scenario lacks (estimated, not written): "
                     f"{', '.join(outside)}")
    ship_delay, ship_basis, ship_back = _shipping(rows, base, last, level)
    labelled = Counter(r.label_type for r in rows if r.label_type)
    payers = Counter(r.payer for r in rows if r.payer)
    flags = [r.in_policy for r in rows if r.in_policy is not None]
    return Calibration(
        reports, orders, level, estimates, overall, delay, delay_basis, ship_delay, ship_basis,
        ship_back, mix(labelled, level) if labelled else {}, mix(payers, level) if payers else {},
        share(sum(flags), len(flags), level) if flags else None, scaled, tuple(notes),
    )


def _request_delay(rows: tuple[ReturnRow, ...], cats: list[str], base: Scenario,
                   index: Mapping[str, int], parts: list[KnownPart],
                   latest: Mapping[str, float], first: date,
                   last: date, level: float) -> tuple[DelayFit | None, str]:
    """Order date -> request date, from cohorts ordered on or after the report's first request
    date (nothing of theirs is cut off at the start) whose window closed by its last one."""
    gaps, uppers, groups = [], [], []
    for r, c in zip(rows, cats, strict=True):
        closes = r.order_date + timedelta(days=math.ceil(latest[c]) + _window(base, c))
        if r.order_date >= first and closes <= last:
            gaps.append((r.request_date - r.order_date).days)
            uppers.append((last - r.order_date).days)
            groups.append(index[c])
    lag = float(np.mean([(base.categories[c].delivery_days.low +
                          base.categories[c].delivery_days.high) / 2
                         for c in base.categories]))
    start = (max(float(np.median(gaps)) - lag, 0.5) if gaps else 5.0, 0.8)
    fit = fit_delay(gaps, uppers, groups, parts, start, level)
    basis = (f"pooled over all categories (the scenario has one request delay), {len(gaps)} "
             f"returns of order cohorts whose window closed by {last.isoformat()}; delivery lag "
             "from the base scenario's delivery_days")
    return fit, basis


def _exposure(orders: OrderCounts, category: str | None, part: KnownPart,
              delay: DelayFit | None, first_order: date, first: date,
              last: date) -> tuple[float, set[date] | None]:
    """Orders of ``category`` (None: all) weighted by the share of their returns the report
    can show; and the order days counted (None: the whole span)."""
    days: list[date] = []
    counts: list[float] = []
    dated = False
    span = max((last - first_order).days + 1, 1)
    for (c, d), n in orders.counts.items():
        if c != category:
            continue
        if d is None:
            days += [first_order + timedelta(days=i) for i in range(span)]
            counts += [n / span] * span
        else:
            dated = True
            days.append(d)
            counts.append(n)
    if not days:
        return 0.0, set()
    weights = np.asarray(counts)
    if delay is not None:
        to_first = np.array([(first - d).days for d in days])
        to_last = np.array([(last - d).days for d in days])
        weights = weights * seen_share(part, delay.median, delay.sigma, to_first, to_last)
    return float(weights.sum()), ({d for d, n in zip(days, counts, strict=True) if n > 0}
                                  if dated else None)


def _rates(rows: tuple[ReturnRow, ...], cats: list[str], orders: OrderCounts, base: Scenario,
           index: Mapping[str, int], parts: list[KnownPart], delay: DelayFit | None,
           first: date, last: date, level: float, notes: list[str],
           ) -> tuple[dict[str, tuple[Share, str]], Share | None, dict[str, float]]:
    first_order = min(r.order_date for r in rows)
    out: dict[str, tuple[Share, str]] = {}
    if not orders.by_category:
        mixed = known_part([(c.share or 1e-9, c.delivery_days.low, c.delivery_days.high)
                            for c in base.categories.values()])
        exposure, days = _exposure(orders, None, mixed, delay, first_order, first, last)
        k = sum(1 for r in rows if days is None or r.order_date in days)
        overall = share(k, exposure, level)
        base_rate = sum(c.share * c.return_rate for c in base.categories.values())
        scaled = {name: min(1.0, c.return_rate * overall.value / base_rate)
                  for name, c in base.categories.items()} if base_rate > 0 else {}
        notes.append("orders are not given per category: one overall return rate; the "
                     "scenario's category rates are the base's, scaled to it")
        return out, overall, scaled
    own: dict[str, tuple[int, float]] = {}
    for name in sorted(orders.categories()):
        if name == UNMAPPED:
            continue
        part = parts[index[name]]
        exposure, days = _exposure(orders, name, part, delay, first_order, first, last)
        k = sum(1 for r, c in zip(rows, cats, strict=True)
                if c == name and (days is None or r.order_date in days))
        own[name] = (k, exposure)
    thin = [c for c, (k, _) in own.items() if k < MIN_ROWS]
    for name, (k, exposure) in own.items():
        if name not in thin:
            out[name] = (share(k, exposure, level), f"per category: {k} returns")
    if thin:
        k = sum(own[c][0] for c in thin)
        exposure = sum(own[c][1] for c in thin)
        pooled = share(k, exposure, level)
        for name in thin:
            out[name] = (pooled, f"pooled over the thin categories {', '.join(thin)}: {k} "
                                 f"returns (each has fewer than {MIN_ROWS})")
    k_all = sum(k for k, _ in own.values())
    overall = share(k_all, sum(e for _, e in own.values()), level)
    return out, overall, {}


def _reasons(by_cat: Mapping[str, list[ReturnRow]],
             level: float) -> dict[str, tuple[Mapping[str, Share], str]]:
    counts = {c: Counter(r.reason for r in rows if r.reason) for c, rows in by_cat.items()}
    thin = sorted(c for c, n in counts.items() if sum(n.values()) < MIN_ROWS)
    pooled: Counter[str] = Counter()
    for c in thin:
        pooled.update(counts[c])
    out: dict[str, tuple[Mapping[str, Share], str]] = {}
    for c, n in counts.items():
        if c in thin and sum(pooled.values()) < MIN_ROWS:
            out[c] = ({}, f"too few returns ({sum(pooled.values())}, pooled over "
                          f"{', '.join(thin)}): the base scenario's mix is kept")
        elif c in thin:
            out[c] = (mix(pooled, level),
                      f"pooled over the thin categories {', '.join(thin)}: "
                      f"{sum(pooled.values())} returns")
        elif c == ALL:
            out[c] = (mix(n, level), f"pooled over all {sum(n.values())} returns (no SKU map)")
        else:
            out[c] = (mix(n, level), f"per category: {sum(n.values())} returns")
    return out


def _shipping(rows: tuple[ReturnRow, ...], base: Scenario, last: date,
              level: float) -> tuple[DelayFit | None, str, dict[str, Share]]:
    """Share shipped back by label type, and request -> receipt days fitted to the buyers'
    ship delay (carrier transit from the base scenario), from requests old enough to settle."""
    settled = [r for r in rows if r.label_type in LABEL_KNOBS
               and r.request_date + timedelta(days=SETTLE_DAYS) <= last]
    back = {}
    for text, knob in LABEL_KNOBS.items():
        group = [r for r in settled if r.label_type == text]
        if len(group) >= MIN_ROWS:
            back[knob] = share(sum(r.delivery_date is not None for r in group), len(group), level)
    received = [r for r in settled if r.delivery_date is not None]
    auto = [r for r in received if r.label_type == "AmazonPrePaidLabel"]
    use, basis = (auto, "Amazon prepaid labels only (authorized at once, so the gap is the "
                  "buyer's delay plus transit)") if len(auto) >= MIN_ROWS else (
        received, "all received returns (includes the seller's time to authorize)")
    tr = base.shipping.transit_days
    gaps = [(r.delivery_date - r.request_date).days for r in use if r.delivery_date]
    uppers = [(last - r.request_date).days for r in use]
    start = (max(float(np.median(gaps)) - (tr.low + tr.high) / 2, 0.5) if gaps else 2.0, 0.8)
    fit = fit_delay(gaps, uppers, [0] * len(gaps), [known_part([(1.0, tr.low, tr.high)])],
                    start, level)
    return fit, f"{basis}: {len(gaps)} returns, carrier transit from the base scenario", back
