"""The terminal table: per headline KPI, each scenario's mean with its 95% interval and its
paired difference from the base with that interval, marked ``*`` where it excludes zero."""

from __future__ import annotations

from collections.abc import Sequence

from sim.experiments.stats import HEADLINE, Row


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if value != 0 and abs(value) < 1e-3:
        return f"{value:.3g}"
    return f"{value:.4g}"


def _ci(low: float | None, high: float | None) -> str:
    return "(no interval)" if low is None or high is None else f"[{_fmt(low)}, {_fmt(high)}]"


def _signed(value: float | None) -> str:
    text = _fmt(value)
    return text if value is None or value < 0 else f"+{text}"


def render(rows: Sequence[Row], base: str, replications: int,
           kpis: Sequence[str] | None = None) -> str:
    """Headline KPIs (or ``kpis``), one block each."""
    labels = dict(HEADLINE)
    wanted = list(kpis) if kpis is not None else [k for k, _ in HEADLINE]
    names = list(dict.fromkeys(r.scenario for r in rows))
    width = max((len(n) for n in names), default=8)
    out = [f"means and paired differences from {base}, {replications} replications, "
           "95% intervals; * = the difference's interval excludes 0 (beyond noise)"]
    for kpi in wanted:
        mine = [r for r in rows if r.kpi == kpi]
        if not mine or all(r.mean is None for r in mine):
            continue
        out.append("")
        out.append(f"{labels.get(kpi, kpi)}  [{kpi}]")
        for r in mine:
            line = f"  {r.scenario.ljust(width)}  {_fmt(r.mean):>9} {_ci(r.ci_low, r.ci_high):<24}"
            if r.diff_n is not None:
                pct = "" if r.diff_pct is None else f" ({r.diff_pct:+.1f}%)"
                mark = " *" if r.beyond_noise else ""
                line += (f"  diff {_signed(r.diff_mean):>9} "
                         f"{_ci(r.diff_ci_low, r.diff_ci_high)}{pct}{mark}")
            out.append(line.rstrip())
    return "\n".join(out)
