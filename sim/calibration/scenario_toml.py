"""The calibrated scenario: a TOML overlay read on top of the bundled baseline.

It holds only what the calibration changed, each value with a comment giving its source, sample
size and interval, so a reader can tell a figure measured on 5,000 returns from one pooled over
a few thin categories. The text is checked by loading it the way ``returns-sim run`` does.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from sim.calibration.estimation import ALL, Calibration
from sim.calibration.fitting import DelayFit, Share
from sim.model.scenario import BASELINE, ScenarioError, parse
from sim.model.scenario_spec import Scenario

MARKER = "# returns-sim calibrate:"
"""The first line's start: how the tool knows a file it may replace is one it wrote."""


def _num(value: float, places: int = 4) -> str:
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return text if "." in text else text + ".0"


def _ci(s: Share, places: int = 4) -> str:
    return f"{_num(s.low, places)}-{_num(s.high, places)}"


def mix_values(shares: Mapping[str, Share], unit: int = 10**6) -> dict[str, float]:
    """Shares rounded to millionths that sum to exactly 1 (largest remainders), as a scenario
    mix must."""
    total = sum(s.k for s in shares.values())
    exact = {name: s.k * unit / total for name, s in shares.items()}
    whole = {name: math.floor(v) for name, v in exact.items()}
    short = unit - sum(whole.values())
    for name in sorted(exact, key=lambda n: (whole[n] - exact[n], n))[:short]:
        whole[name] += 1
    return {name: v / unit for name, v in whole.items() if v > 0}


def _delay_line(fit: DelayFit, basis: str, pct: str) -> str:
    return (f"# {basis}; {pct} intervals: median {_num(fit.median_low, 3)}-"
            f"{_num(fit.median_high, 3)}, sigma {_num(fit.sigma_low, 3)}-{_num(fit.sigma_high, 3)}")


def scenario_text(cal: Calibration, base: Scenario) -> str:
    """The overlay's text (see the module docstring)."""
    pct = f"{100 * cal.level:g}%"
    files = ", ".join(f"{f.path.rsplit('/', 1)[-1]} ({f.encoding}, {f.rows} rows)"
                      for f in cal.reports.files)
    out = [
        f"{MARKER} a scenario calibrated from Amazon returns reports.",
        "# Read on top of the bundled baseline (returns-sim run THIS_FILE): only the calibrated",
        "# values are here, each with its source, sample size and interval. Regenerate it with",
        "# returns-sim calibrate rather than editing it; docs/calibration.md explains each value.",
        f"# Reports: {files}; {len(cal.reports.rows)} returns requested "
        f"{cal.reports.first_request.isoformat()}..{cal.reports.last_request.isoformat()}.",
        f"# Orders: {cal.orders.source}. Intervals: {pct} (a mix's shares: simultaneous).",
    ]
    if cal.delay is not None or cal.ship_delay is not None:
        out += ["", "[buyers]"]
    if cal.delay is not None:
        out.append(_delay_line(cal.delay, cal.delay_basis, pct))
        out.append(f"request_delay_days = {{ median = {_num(cal.delay.median, 3)}, "
                   f"sigma = {_num(cal.delay.sigma, 3)} }}")
    if cal.ship_delay is not None:
        out.append(_delay_line(cal.ship_delay, "buyers' delay to ship, from " + cal.ship_basis,
                               pct))
        out.append(f"ship_delay_days = {{ median = {_num(cal.ship_delay.median, 3)}, "
                   f"sigma = {_num(cal.ship_delay.sigma, 3)} }}")
    if cal.ship_back:
        out += ["", "[buyers.ship_back]   # authorized returns received, of those at least "
                "30 days old"]
        for knob, s in cal.ship_back.items():
            out.append(f"{knob} = {_num(s.value)}   # {s.k} of {int(s.n)}; {pct} {_ci(s)}")
    for name, spec in base.categories.items():
        lines = _category_lines(cal, name, spec.return_rate, pct)
        if lines:
            out += ["", f"[categories.{name}]", *lines]
    return "\n".join(out) + "\n"


def _category_lines(cal: Calibration, name: str, base_rate: float, pct: str) -> list[str]:
    est = cal.categories.get(name) or cal.categories.get(ALL)
    lines: list[str] = []
    if est is not None and est.rate is not None and not math.isnan(est.rate.value):
        r = est.rate
        lines.append(f"return_rate = {_num(min(r.value, 1.0), 5)}   # {est.rate_basis}, "
                     f"{_num(r.n, 1)} orders whose returns the reports could show; {pct} "
                     f"{_ci(r, 5)}")
    elif name in cal.scaled_rates and cal.overall_rate is not None:
        o = cal.overall_rate
        lines.append(f"return_rate = {_num(cal.scaled_rates[name], 5)}   # the base's "
                     f"{_num(base_rate, 5)} scaled to the overall rate {_num(o.value, 5)} "
                     f"({o.k} returns / {_num(o.n, 1)} orders; {pct} {_ci(o, 5)})")
    if est is not None and est.reasons:
        values = mix_values(est.reasons)
        cis = ", ".join(f"{k} {_ci(s, 3)}" for k, s in est.reasons.items() if k in values)
        lines.append(f"# reasons: {est.reasons_basis}; {pct} intervals: {cis}")
        body = ", ".join(f'"{k}" = {_num(v, 6)}' for k, v in values.items())
        lines.append(f"reasons = {{ {body} }}")
    return lines


def check_text(text: str) -> Scenario:
    """Load the overlay as ``returns-sim run`` would (on top of the baseline); a calibration
    that does not load is a bug, reported as :class:`ScenarioError`."""
    base = (resources.files("sim") / "scenarios" / f"{BASELINE}.toml").read_bytes()
    try:
        return parse(text.encode("utf-8"), base, "<calibrated>")
    except ScenarioError as exc:
        raise ScenarioError(exc.key, exc.value, f"the calibrated scenario does not load: "
                            f"{exc.problem}") from None


class OutputFileError(Exception):
    """A scenario file the tool may not replace (it did not write it)."""


def refuse_foreign(path: Path, force: bool) -> None:
    """Refuse, before anything is written, to replace a file this tool did not write (its
    first line is not :data:`MARKER`) unless ``force``."""
    if path.is_dir():
        raise OutputFileError(f"-o {path}: is a folder; name a .toml file")
    if not path.exists() or force:
        return
    with path.open("rb") as f:
        first = f.readline(200)
    if not first.startswith(MARKER.encode("utf-8")):
        raise OutputFileError(f"-o {path}: exists and was not written by returns-sim "
                              "calibrate; choose another name or pass --force")


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it into place, so a
    reader never sees half a scenario."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.parent / f".{path.name}.tmp-{os.getpid()}"
    try:
        temp.write_text(text, encoding="utf-8", newline="\n")
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
