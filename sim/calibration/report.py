"""The calibration report: ``calibration.txt`` for people, ``estimates.json`` for programs.

Every estimate appears with its interval, its sample size and its basis (own or pooled), next to
the base scenario's value it replaces, so a reader sees both what changed and how sure it is.
"""

from __future__ import annotations

import math
from typing import Any

from sim.calibration.estimation import Calibration
from sim.calibration.fitting import DelayFit, Share
from sim.model.scenario_spec import Lognormal, Scenario


def _share(s: Share | None) -> dict[str, Any] | None:
    if s is None or math.isnan(s.value):
        return None
    return {"value": round(s.value, 6), "low": round(s.low, 6), "high": round(s.high, 6),
            "k": s.k, "n": round(s.n, 3)}


def _delay(d: DelayFit | None, basis: str) -> dict[str, Any] | None:
    if d is None:
        return None
    return {"median": round(d.median, 4), "median_low": round(d.median_low, 4),
            "median_high": round(d.median_high, 4), "sigma": round(d.sigma, 4),
            "sigma_low": round(d.sigma_low, 4), "sigma_high": round(d.sigma_high, 4),
            "n": d.n, "basis": basis}


def estimates_json(cal: Calibration) -> dict[str, Any]:
    """Every estimate, machine-readable (the tests and notebooks read this)."""
    r = cal.reports
    return {
        "level": cal.level,
        "reports": [{"path": f.path, "encoding": f.encoding, "gzip": f.compressed,
                     "rows": f.rows, "skipped": f.skipped} for f in r.files],
        "returns": len(r.rows), "skipped_rows": r.skipped, "duplicates": r.duplicates,
        "first_request": r.first_request.isoformat(), "last_request": r.last_request.isoformat(),
        "orders": {"source": cal.orders.source, "total": cal.orders.total},
        "overall_return_rate": _share(cal.overall_rate),
        "categories": {
            name: {"rows": e.rows, "in_base": e.in_base, "return_rate": _share(e.rate),
                   "return_rate_basis": e.rate_basis,
                   "reasons": {k: _share(s) for k, s in e.reasons.items()},
                   "reasons_basis": e.reasons_basis, "in_policy": _share(e.in_policy)}
            for name, e in cal.categories.items()
        },
        "scaled_return_rates": {k: round(v, 6) for k, v in cal.scaled_rates.items()},
        "request_delay_days": _delay(cal.delay, cal.delay_basis),
        "ship_delay_days": _delay(cal.ship_delay, cal.ship_basis),
        "ship_back": {k: _share(s) for k, s in cal.ship_back.items()},
        "labels": {k: _share(s) for k, s in cal.labels.items()},
        "payers": {k: _share(s) for k, s in cal.payers.items()},
        "in_policy": _share(cal.in_policy),
        "notes": list(cal.notes),
        "problems": [str(p) for p in r.problems],
    }


def _fmt(s: Share | None, places: int = 4) -> str:
    if s is None or math.isnan(s.value):
        return "-"
    return f"{s.value:.{places}f} [{s.low:.{places}f}, {s.high:.{places}f}]"


def report_text(cal: Calibration, base: Scenario) -> str:
    r = cal.reports
    pct = f"{100 * cal.level:g}%"
    out = [f"Calibration from {len(r.files)} returns report(s); intervals {pct} "
           "(a mix's shares: simultaneous)", ""]
    for f in r.files:
        out.append(f"  {f.path}: {f.rows} rows, {f.skipped} skipped, encoding {f.encoding}"
                   f"{', gzip' if f.compressed else ''}")
    out += [f"  {len(r.rows)} returns after stitching ({r.duplicates} duplicate rows dropped), "
            f"requested {r.first_request.isoformat()}..{r.last_request.isoformat()}",
            f"  orders: {cal.orders.source}, {cal.orders.total:g} in all", ""]
    out += ["Return rates (returns / orders whose returns the reports could show)",
            f"  {'category':<16}{'returns':>8}  {'estimate [interval]':<28}{'base':>8}  basis"]
    if cal.overall_rate is not None:
        out.append(f"  {'(overall)':<16}{cal.overall_rate.k:>8}  {_fmt(cal.overall_rate):<28}"
                   f"{'':>8}  all orders")
    for name, e in cal.categories.items():
        spec = base.categories.get(name)
        base_rate = f"{spec.return_rate:.4f}" if spec else "-"
        out.append(f"  {name:<16}{e.rows:>8}  {_fmt(e.rate):<28}{base_rate:>8}  {e.rate_basis}")
    out += ["", "Reason mix"]
    for name, e in cal.categories.items():
        out.append(f"  {name} ({e.reasons_basis})")
        spec = base.categories.get(name)
        for reason, s in e.reasons.items():
            was = spec.reasons.get(reason) if spec else None
            out.append(f"    {reason:<32}{_fmt(s, 3):<24} base "
                       f"{'-' if was is None else f'{was:.3f}'}")
    b = base.buyers
    delays: tuple[tuple[str, DelayFit | None, str, Lognormal], ...] = (
        ("Request delay (days from delivery to request, lognormal)", cal.delay, cal.delay_basis,
         b.request_delay_days),
        ("Ship delay (days from authorization to shipping, lognormal)", cal.ship_delay,
         cal.ship_basis, b.ship_delay_days),
    )
    for title, d, basis, prior in delays:
        out += ["", title]
        if d is None:
            out.append("  not estimated: too few returns")
            continue
        out += [f"  median {d.median:.3f} [{d.median_low:.3f}, {d.median_high:.3f}]   "
                f"base {prior.median:g}",
                f"  sigma  {d.sigma:.3f} [{d.sigma_low:.3f}, {d.sigma_high:.3f}]   "
                f"base {prior.sigma:g}",
                f"  {basis}"]
    out += ["", "Shipped back (authorized returns received, of those at least 30 days old)"]
    for knob, s in cal.ship_back.items():
        out.append(f"  {knob:<16}{_fmt(s):<28} base {getattr(b.ship_back, knob):g}")
    out += ["", "Shares (reported, not scenario knobs: they follow from policy and sellers)",
            f"  in policy         {_fmt(cal.in_policy)}"]
    for name, e in cal.categories.items():
        out.append(f"    {name:<16}{_fmt(e.in_policy)}")
    for title, shares in (("label type", cal.labels), ("label paid by", cal.payers)):
        out.append(f"  {title}")
        for k, s in shares.items():
            out.append(f"    {k:<20}{_fmt(s)}")
    if cal.notes:
        out += ["", "Notes", *(f"  - {n}" for n in cal.notes)]
    if r.problems:
        out += ["", f"Skipped rows ({r.skipped}; the first {len(r.problems)} listed)",
                *(f"  {p}" for p in r.problems)]
    return "\n".join(out) + "\n"
