"""One results folder of each kind, for the report tests: a small run (through the real
``returns-sim run``), a conformance run against a mutant (real ``conform --out``), and
compare/sweep folders written in the documented format (docs/experiments.md) from made-up
replications, so the experiment page is tested without running replications."""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

from sim.commands.cli import main as cli
from sim.reports.html.settings import baseline_bytes

REPO = Path(__file__).resolve().parents[1]
MUTANT = REPO / "tests" / "mutants" / "run_mutant.py"
RUN_ARGS = ("--orders", "2500", "--seed", "7", "--quiet")


def make_run(folder: Path, scenario: str | None = None) -> Path:
    code = cli(["run", *([scenario] if scenario else []), *RUN_ARGS, "--out", str(folder)])
    assert code == 0
    return folder


def make_conform(folder: Path, mutant: str = "holiday_ignored") -> tuple[Path, int]:
    impl = f"cmd:{sys.executable} {MUTANT} {mutant}"
    code = cli(["conform", "--impl", impl, "--case", "holiday", "--case", "win",
                "--out", str(folder)])
    return folder, code


# --------------------------------------------------------------------------- experiments

KPIS = ("return_requests", "share_in_policy", "share_auto_authorized",
        "time_to_authorization_hours.manual.p90", "pending_backlog.mean", "closures.declined")
_T95 = {2: 12.706, 3: 4.303, 4: 3.182, 5: 2.776, 6: 2.571}  # t(0.975, n-1)


def _interval(values: np.ndarray) -> tuple[float, float, float, float]:
    mean = float(values.mean())
    sd = float(values.std(ddof=1))
    half = _T95[values.size] * sd / math.sqrt(values.size)
    return mean, sd, mean - half, mean + half


def _scenario_text(window: int) -> bytes:
    text = baseline_bytes().decode("utf-8")
    return text.replace("default_window_days = 30", f"default_window_days = {window}").encode()


def make_experiment(folder: Path, kind: str = "compare", replications: int = 5) -> Path:
    """A compare (baseline vs two windows) or sweep (window 15/30/45/60) folder whose numbers
    move with the window: share_in_policy beyond noise, return_requests not."""
    rng = np.random.default_rng(3)
    windows = [30, 45, 60] if kind == "compare" else [15, 30, 45, 60]
    if kind == "compare":
        names = ["baseline", "window45", "window60"]
    else:
        names = [f"baseline[default_window_days={w}]" for w in windows]
    base = names[0]
    (folder / "scenarios").mkdir(parents=True)
    noise = rng.normal(size=(replications, len(KPIS)))
    values: dict[str, np.ndarray] = {}
    for name, window in zip(names, windows, strict=True):
        effect = np.array([0.0, 0.002 * window, 0.001 * window, -0.05 * window, -0.001 * window,
                           -0.2 * window])
        level = np.array([600.0, 0.85, 0.6, 20.0, 0.2, 25.0])
        scale = np.array([20.0, 0.002, 0.003, 3.0, 0.03, 3.0])
        values[name] = level + effect + noise * scale  # common random numbers: same noise
        (folder / "scenarios" / f"{name}.toml").write_bytes(_scenario_text(window))
    with (folder / "replications.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["scenario", "replication", "replication_seed", "population_seed", "status",
                      "error", *KPIS])
        for name in names:
            for r in range(replications):
                out.writerow([name, r, 1000 + r, 20250101, "ok", "",
                              *(f"{v:.6g}" for v in values[name][r])])
    rows: list[dict[str, Any]] = []
    for name in names:
        for k, kpi in enumerate(KPIS):
            mean, sd, low, high = _interval(values[name][:, k])
            row: dict[str, Any] = {"scenario": name, "kpi": kpi, "n": replications,
                                   "mean": mean, "sd": sd, "ci_low": low, "ci_high": high,
                                   "diff_n": None, "diff_mean": None, "diff_ci_low": None,
                                   "diff_ci_high": None, "diff_pct": None, "beyond_noise": None}
            if name != base:
                d_mean, _, d_low, d_high = _interval(values[name][:, k] - values[base][:, k])
                base_mean = float(values[base][:, k].mean())
                row.update(diff_n=replications, diff_mean=d_mean, diff_ci_low=d_low,
                           diff_ci_high=d_high, diff_pct=100 * d_mean / base_mean,
                           beyond_noise=not d_low <= 0 <= d_high)
            rows.append(row)
    header: dict[str, Any] = {
        "tool": "returns-sandbox", "kind": kind, "base": base, "confidence": 0.95,
        "replications": replications, "scenarios": names,
        "points": {n: ({"policy.default_window_days": w} if kind == "sweep" else {})
                   for n, w in zip(names, windows, strict=True) if n != base or kind == "sweep"},
        "kpis": list(KPIS), "headline": list(KPIS[:5]), "rows": rows, "failed": [],
    }
    if kind == "sweep":
        header["vary"] = {"policy.default_window_days": windows}
    (folder / "comparison.json").write_text(json.dumps(header, indent=2), encoding="utf-8")
    manifest = {
        "tool": "returns-sandbox", "kind": kind,
        "command": ["returns-sim", kind, "(made-up numbers for the report tests)"],
        "scenarios": [{"name": n, "source": f"{n}.toml", "sha256": "0" * 64,
                       "file": f"scenarios/{n}.toml"} for n in names],
        "base": base, "replications": replications, "orders": 3000, "days": 90,
        "seeds": {"seed": 7, "vary_population": False},
        "engine": {"implementation": "reference (in-process)"},
        "backend": {"name": "serial", "workers": 1, "address": None},
        "failed_replications": 0, "timings": {"wall_time_s": 1.0},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return folder


def run_experiment(folder: Path, kind: str = "compare") -> Path:
    """A real, tiny ``returns-sim compare`` or ``sweep`` folder (2 replications, in process)."""
    small = ["--replications", "2", "--orders", "1500", "--workers", "1", "--quiet",
             "--out", str(folder)]
    if kind == "compare":
        code = cli(["compare", "baseline", "understaffed", *small])
    else:
        code = cli(["sweep", "baseline", "--vary", "policy.default_window_days=15,45", *small])
    assert code == 0
    return folder
