"""An experiment's folder (``compare`` or ``sweep``) read back: the comparison rows, every
replication's KPIs, each scenario's settings. Formats: docs/experiments.md."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.reports.html.page import read_json
from sim.reports.html.settings import merged


@dataclass(frozen=True)
class Row:
    """One scenario x KPI line of ``comparison.json``."""

    scenario: str
    kpi: str
    n: int
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    diff_mean: float | None
    diff_ci_low: float | None
    diff_ci_high: float | None
    diff_pct: float | None
    beyond_noise: bool | None


@dataclass(frozen=True)
class Experiment:
    folder: Path
    kind: str  # compare or sweep
    manifest: dict[str, Any]
    base: str
    confidence: float
    replications: int
    scenarios: tuple[str, ...]
    points: dict[str, dict[str, Any]]  # sweep: scenario -> {key: value}
    vary: dict[str, list[Any]]
    kpis: tuple[str, ...]
    headline: tuple[str, ...]
    rows: dict[tuple[str, str], Row]  # (scenario, kpi) -> row
    values: dict[tuple[str, str], list[float]]  # (scenario, kpi) -> one value per replication
    failed: list[dict[str, Any]]
    settings: list[dict[str, Any] | None]  # merged tree per scenario, None when unreadable

    def label(self, name: str) -> str:
        """A sweep point by its swept values (``default_window_days=45``), else the name."""
        if self.kind == "sweep" and name.endswith("]") and "[" in name:
            return name[name.index("[") + 1 : -1]
        return name


def _number(text: str) -> float | None:
    if text == "":
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def read_replications(path: Path) -> dict[tuple[str, str], list[float]]:
    values: dict[tuple[str, str], list[float]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fixed = {"scenario", "replication", "replication_seed", "population_seed", "status",
                 "error"}
        for line in reader:
            if line["status"] != "ok":
                continue
            for kpi, text in line.items():
                if kpi in fixed:
                    continue
                value = _number(text or "")
                if value is not None:
                    values.setdefault((line["scenario"], kpi), []).append(value)
    return values


def _settings(folder: Path, manifest: dict[str, Any]) -> list[dict[str, Any] | None]:
    trees: list[dict[str, Any] | None] = []
    for entry in manifest.get("scenarios", []):
        path = folder / str(entry.get("file", ""))
        try:
            trees.append(merged(path.read_bytes()))
        except (OSError, ValueError):
            trees.append(None)
    return trees


def read_experiment(folder: Path) -> Experiment:
    manifest = read_json(folder / "manifest.json")
    data = read_json(folder / "comparison.json")
    rows = {}
    for r in data["rows"]:
        row = Row(**{f: r.get(f) for f in Row.__dataclass_fields__})
        rows[(row.scenario, row.kpi)] = row
    return Experiment(
        folder=folder,
        kind=str(data["kind"]),
        manifest=manifest,
        base=str(data["base"]),
        confidence=float(data.get("confidence", 0.95)),
        replications=int(data["replications"]),
        scenarios=tuple(data["scenarios"]),
        points={k: dict(v) for k, v in data.get("points", {}).items()},
        vary={k: list(v) for k, v in data.get("vary", {}).items()},
        kpis=tuple(data["kpis"]),
        headline=tuple(data.get("headline") or data["kpis"][:8]),
        rows=rows,
        values=read_replications(folder / "replications.csv"),
        failed=list(data.get("failed", [])),
        settings=_settings(folder, manifest),
    )
