"""The experiment's folder: scenarios as run, replications.csv, comparison.csv/.json and the
manifest (docs/experiments.md, "Files", defines every column and key).

Everything but the manifest's ``backend`` and ``timings`` is a function of the experiment and
the results in task order, so the files are byte-identical whatever ran the replications.
"""

from __future__ import annotations

import csv
import io
import json
import platform
from collections.abc import Sequence
from dataclasses import asdict
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from sim.experiments.design import Experiment
from sim.experiments.replicate import ReplicationResult
from sim.experiments.stats import CONFIDENCE, HEADLINE, Row

PACKAGES = ("returns-sandbox", "simpy", "numpy", "scipy", "matplotlib", "dask", "distributed")
ROW_FIELDS = tuple(Row.__dataclass_fields__)
TOOL = "returns-sandbox"


def num(value: float | None) -> float | None:
    """A statistic as written: 6 significant digits, so float noise never shows."""
    return None if value is None else float(f"{value:.6g}")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def replications_csv(results: Sequence[ReplicationResult], kpis: Sequence[str]) -> str:
    header = ["scenario", "replication", "replication_seed", "population_seed", "status",
              "error", *kpis]
    rows = []
    for r in results:
        values = r.kpi_map()
        rows.append([r.scenario, r.replication, r.replication_seed, r.population_seed,
                     "ok" if r.ok else "failed", r.error or "",
                     *[values.get(k) for k in kpis]])
    return _csv(header, rows)


def _rounded(row: Row) -> dict[str, Any]:
    out = asdict(row)
    for key, value in out.items():
        if isinstance(value, float):
            out[key] = num(value)
    return out


def comparison_csv(rows: Sequence[Row]) -> str:
    return _csv(ROW_FIELDS, [list(_rounded(r).values()) for r in rows])


def comparison_json(exp: Experiment, rows: Sequence[Row], kpis: Sequence[str],
                    results: Sequence[ReplicationResult]) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "tool": TOOL,
        "kind": exp.kind,
        "base": exp.base.name,
        "confidence": CONFIDENCE,
        "replications": exp.replications,
        "scenarios": [c.name for c in exp.cases],
        "points": {c.name: dict(c.point) for c in exp.cases[1:]},
        "kpis": list(kpis),
        "headline": [k for k, _ in HEADLINE if k in kpis],
        "rows": [_rounded(r) for r in rows],
        "failed": [{"scenario": r.scenario, "replication": r.replication, "error": r.error}
                   for r in results if not r.ok],
    }
    if exp.kind == "sweep":
        doc["points"] = {c.name: dict(c.point) for c in exp.cases}
        doc["vary"] = {key: list(values) for key, values in exp.vary}
    return doc


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def manifest(exp: Experiment, results: Sequence[ReplicationResult], command: Sequence[str],
             backend: dict[str, Any], timings: dict[str, Any]) -> dict[str, Any]:
    ok = [r for r in results if r.ok]
    return {
        "tool": TOOL,
        "kind": exp.kind,
        "command": list(command),
        "scenarios": [{"name": c.name, "source": c.source, "sha256": c.sha256,
                       "file": f"scenarios/{c.file_name}"} for c in exp.cases],
        "base": exp.base.name,
        "replications": exp.replications,
        "orders": exp.orders,
        "days": exp.days if exp.days is not None else exp.base.scenario().run.days,
        "seeds": {"seed": exp.seed, "vary_population": exp.vary_population,
                  "replication_seeds": exp.replication_seeds(),
                  "population_seeds": exp.population_seeds()},
        "engine": {"implementation": "reference (in-process)"},
        "packages": {"python": platform.python_version(), **{p: _version(p) for p in PACKAGES}},
        "backend": backend,
        "failed_replications": len(results) - len(ok),
        "timings": {
            **timings,
            "replication_cpu_s": {
                "mean": round(sum(r.cpu_s for r in ok) / len(ok), 3) if ok else None,
                "max": max((r.cpu_s for r in ok), default=None),
            },
            "peak_memory_mb": {"max": max((r.peak_memory_mb for r in ok), default=None)},
        },
    }


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def write_tables(folder: Path, exp: Experiment, results: Sequence[ReplicationResult],
                 kpis: Sequence[str], rows: Sequence[Row]) -> list[Path]:
    """Everything but the plots and the manifest."""
    scenarios = folder / "scenarios"
    scenarios.mkdir()
    written = []
    for case in exp.cases:
        path = scenarios / case.file_name
        path.write_text(case.text, encoding="utf-8")
        written.append(path)
    for name, text in (("replications.csv", replications_csv(results, kpis)),
                       ("comparison.csv", comparison_csv(rows))):
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    written.append(write_json(folder / "comparison.json",
                              comparison_json(exp, rows, kpis, results)))
    return written
