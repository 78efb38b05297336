"""``manifest.json``: what was run, with what, and how long it took.

Every folder this tool writes has one, and its ``"tool": "returns-sandbox"`` is how
:mod:`sim.reports.staging` tells a results folder it may replace from a folder it must not
touch. Two runs of the same command differ only in ``timings``.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from sim.model.output import RunOutput
from sim.model.scenario import LoadedScenario

TOOL = "returns-sandbox"
PACKAGES = ("returns-sandbox", "simpy", "numpy", "faker", "matplotlib")


@dataclass(frozen=True)
class RunTimings:
    """Where the wall time of a run went (simulate and write), for the manifest and bench."""

    population_s: float
    simulation_s: float
    results_s: float
    total_s: float
    cpu_s: float
    peak_memory_mb: float
    simpy_events: int


def tool_manifest(kind: str, **fields: Any) -> dict[str, Any]:
    """The manifest of a folder of ``kind`` (run, compare, sweep, ...): our mark first."""
    return {"tool": TOOL, "kind": kind, **fields}


def is_ours(manifest: Any) -> bool:
    """Whether a parsed ``manifest.json`` was written by this tool: it says so, or (results
    folders written before manifests had a ``tool`` field) it lists this tool's package."""
    if not isinstance(manifest, dict):
        return False
    if manifest.get("tool") == TOOL:
        return True
    packages = manifest.get("packages")
    return isinstance(packages, dict) and TOOL in packages and "scenario" in manifest


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def packages() -> dict[str, str]:
    """Python's version and the versions of the packages a run depends on."""
    return {"python": platform.python_version(), **{p: _version(p) for p in PACKAGES}}


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def run_manifest(
    loaded: LoadedScenario, output: RunOutput, command: Sequence[str], timings: RunTimings
) -> dict[str, Any]:
    """The manifest of one run's results folder."""
    return tool_manifest(
        "run",
        scenario={
            "name": loaded.name,
            "source": loaded.source,
            "sha256": loaded.sha256,
            "baseline_sha256": loaded.baseline_sha256,
        },
        seed=output.seed,
        population_seed=output.population_seed,
        days=output.days,
        orders_requested=output.orders_requested,
        engine={"implementation": output.implementation, "version": output.implementation_version},
        packages=packages(),
        command=list(command),
        timings={
            "wall_time_s": timings.total_s,
            "population_s": timings.population_s,
            "simulation_s": timings.simulation_s,
            "results_s": timings.results_s,
            "cpu_time_s": timings.cpu_s,
            "peak_memory_mb": timings.peak_memory_mb,
        },
    )
